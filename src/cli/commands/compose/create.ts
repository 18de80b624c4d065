import { Command } from 'commander';
import { actualContainers } from '../../../compose/project/actual.js';
import { applyUp } from '../../../compose/project/apply-up.js';
import { planUp } from '../../../compose/project/plan.js';
import type { CliIO } from '../../io.js';
import { composeContext, servicesOrAll } from './context.js';
import { parseScale, withDependencies } from './selection.js';
import { prepareImages, type ImageFlags } from './images-step.js';

/** `create`: `up --no-start`. */
export function createCommand(io: CliIO): Command {
  return new Command('create')
    .description('Creates containers for a service')
    .argument('[services...]')
    .option('--force-recreate', "Recreate containers even if their configuration and image haven't changed", false)
    .option('--no-recreate', "If containers already exist, don't recreate them")
    .option('--remove-orphans', 'Remove containers for services not defined in the Compose file', false)
    .option('--scale <SERVICE=NUM>', 'Scale SERVICE to NUM instances', (v: string, p: string[]) => [...p, v], [])
    .option('--build', 'Build images before starting containers')
    .option('--no-build', "Don't build an image, even if it's policy")
    .option('--pull <policy>', 'Pull image before running ("always"|"missing"|"build"|"never")')
    .option('--quiet-pull', 'Pull without printing progress information', false)
    .action(async (services: string[], flags: { forceRecreate: boolean; recreate: boolean; removeOrphans: boolean; scale: string[] } & ImageFlags, command: Command) => {
      const ctx = await composeContext(io, command, services);
      const desired = ctx.desired(parseScale(flags.scale));
      const targets = withDependencies(ctx.project, servicesOrAll(ctx, services));
      await prepareImages(io, ctx, desired, targets, flags);
      const plan = planUp(desired, await actualContainers(ctx.engine, ctx.project.name), { forceRecreate: flags.forceRecreate, noRecreate: !flags.recreate, removeOrphans: flags.removeOrphans, noStart: true, services: targets });
      try {
        await applyUp(ctx.engine, desired, plan, ctx.progress, { noStart: true, removeOrphans: flags.removeOrphans, warn: ctx.warn });
      } finally {
        ctx.finishProgress();
      }
    });
}

/** `scale web=3 worker=2`: `up --no-deps --scale ...` for those services. */
export function scaleCommand(io: CliIO): Command {
  return new Command('scale')
    .description('Scale services')
    .argument('<scale...>', 'SERVICE=REPLICAS')
    .option('--no-deps', "Don't start linked services")
    .action(async (scales: string[], flags: { deps: boolean }, command: Command) => {
      const ctx = await composeContext(io, command);
      const scale = parseScale(scales);
      const desired = ctx.desired(scale);
      // without --no-deps, the dependencies are brought back to the model's own counts too
      const services = flags.deps ? withDependencies(ctx.project, Object.keys(scale)) : Object.keys(scale);
      const plan = planUp(desired, await actualContainers(ctx.engine, ctx.project.name), { forceRecreate: false, noRecreate: true, removeOrphans: false, noStart: false, services });
      try {
        await applyUp(ctx.engine, desired, plan, ctx.progress, { noStart: false, removeOrphans: false, warn: ctx.warn });
      } finally {
        ctx.finishProgress();
      }
    });
}
