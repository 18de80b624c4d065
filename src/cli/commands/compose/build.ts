import { Command } from 'commander';
import { buildServices } from '../../../compose/project/build.js';
import { quietProgress } from '../../../compose/project/progress.js';
import { readAllCredentials } from '../../../image/registry/credentials.js';
import type { CliIO } from '../../io.js';
import { composeContext, servicesOrAll } from './context.js';
import { withDependencies } from './selection.js';

interface BuildFlags {
  buildArg: string[];
  noCache: boolean;
  pull: boolean;
  quiet: boolean;
  withDependencies: boolean;
}

/** `build [SERVICE...]`: the services' images from their Dockerfiles, named `<project>-<service>` unless `image:` says. */
export function buildCommand(io: CliIO): Command {
  return new Command('build')
    .description('Build or rebuild services')
    .argument('[services...]')
    .option('--build-arg <key=value>', 'Set build-time variables for services', (v: string, p: string[]) => [...p, v], [])
    .option('--no-cache', 'Do not use cache when building the image')
    .option('--pull', 'Always attempt to pull a newer version of the image', false)
    .option('-q, --quiet', "Don't print anything to STDOUT", false)
    .option('--with-dependencies', 'Also build dependencies (transitively)', false)
    .action(async (services: string[], flags: BuildFlags & { cache: boolean }, command: Command) => {
      const ctx = await composeContext(io, command, services);
      const named = servicesOrAll(ctx, services);
      const targets = flags.withDependencies ? withDependencies(ctx.project, named) : named;
      const buildArgs = Object.fromEntries(flags.buildArg.map((a) => (a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined])));
      try {
        await buildServices(ctx.engine, ctx.desired(), targets, {
          noCache: flags.cache === false,
          pull: flags.pull,
          buildArgs,
          registryAuth: readAllCredentials(io.env),
          progress: flags.quiet ? quietProgress : ctx.progress,
          ...(ctx.buildOutput && !flags.quiet ? { output: ctx.buildOutput } : {}),
        });
      } finally {
        ctx.finishProgress();
      }
    });
}
