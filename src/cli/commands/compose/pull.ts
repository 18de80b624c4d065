import { Command, Option } from 'commander';
import { pullProject, type PullPolicy } from '../../../compose/project/pull.js';
import { quietProgress } from '../../../compose/project/progress.js';
import type { CliIO } from '../../io.js';
import { credentialsFor } from '../image/registry-auth.js';
import { composeContext, servicesOrAll } from './context.js';
import { withDependencies } from './selection.js';

interface PullFlags {
  ignorePullFailures: boolean;
  quiet: boolean;
  policy?: PullPolicy;
  includeDeps: boolean;
  ignoreBuildable: boolean;
}

/** `pull [SERVICE...]`: the services' images from their registries (`--policy missing` keeps what is here). */
export function pullCommand(io: CliIO): Command {
  return new Command('pull')
    .description('Pull service images')
    .argument('[services...]')
    .option('--ignore-pull-failures', 'Pull what it can and ignores images with pull failures', false)
    .option('-q, --quiet', 'Pull without printing progress information', false)
    .addOption(new Option('--policy <policy>', 'Apply pull policy ("missing"|"always")').choices(['missing', 'always']))
    .option('--include-deps', 'Also pull services declared as dependencies', false)
    .option('--ignore-buildable', 'Ignore images that can be built', false)
    .action(async (services: string[], flags: PullFlags, command: Command) => {
      const ctx = await composeContext(io, command, services);
      const targets = flags.includeDeps ? withDependencies(ctx.project, servicesOrAll(ctx, services)) : servicesOrAll(ctx, services);
      try {
        await pullProject(ctx.engine, ctx.desired(), targets, flags.quiet ? quietProgress : ctx.progress, {
          policy: flags.policy,
          credentialsFor: (image) => credentialsFor(io, image),
          ignoreFailures: flags.ignorePullFailures,
          ignoreBuildable: flags.ignoreBuildable,
          warn: ctx.warn,
        });
      } finally {
        ctx.finishProgress();
      }
    });
}
