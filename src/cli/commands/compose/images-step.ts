/** The image step `up`, `run` and `create` share: build or pull what the services need, with their flags. */
import type { DesiredProject } from '../../../compose/project/desired.js';
import { ensureImages, type PullPolicy } from '../../../compose/project/pull.js';
import { quietProgress } from '../../../compose/project/progress.js';
import { credentialsFor } from '../image/registry-auth.js';
import { readAllCredentials } from '../../../image/registry/credentials.js';
import type { CliIO } from '../../io.js';
import type { ComposeContext } from './context.js';

export interface ImageFlags {
  pull?: string;
  quietPull?: boolean;
  /** --build: true, --no-build: false, neither: undefined. */
  build?: boolean;
}

export async function prepareImages(io: CliIO, ctx: ComposeContext, desired: DesiredProject, services: string[], flags: ImageFlags): Promise<void> {
  await ensureImages(ctx.engine, desired, services, flags.quietPull ? quietProgress : ctx.progress, {
    policy: flags.pull as PullPolicy | undefined,
    credentialsFor: (image) => credentialsFor(io, image),
    warn: ctx.warn,
    ...(flags.build === true ? { build: 'always' as const } : flags.build === false ? { build: 'never' as const } : {}),
    buildOptions: { registryAuth: readAllCredentials(io.env), ...(ctx.buildOutput ? { output: ctx.buildOutput } : {}) },
  });
}
