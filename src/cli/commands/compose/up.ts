import { Command, Option } from 'commander';
import { actualContainers } from '../../../compose/project/actual.js';
import { applyUp } from '../../../compose/project/apply-up.js';
import { planUp } from '../../../compose/project/plan.js';
import { UserError } from '../../../errors.js';
import { checkServiceRules } from '../../../compose/consistency.js';
import { checkNewPorts } from '../../../compose/project/ports-check.js';
import { prepareImages } from './images-step.js';
import { CommandExit, type CliIO } from '../../io.js';
import { composeContext, servicesOrAll } from './context.js';
import { followProjectLogs, watchProjectExits } from './log-printer.js';
import { parseScale, withDependencies } from './selection.js';
import { stopProject } from './stop-project.js';

interface UpFlags {
  detach: boolean;
  wait: boolean;
  waitTimeout?: string;
  forceRecreate: boolean;
  recreate: boolean;
  deps: boolean;
  removeOrphans: boolean;
  scale: string[];
  abortOnContainerExit: boolean;
  abortOnContainerFailure: boolean;
  exitCodeFrom?: string;
  attach: string[];
  noAttach: string[];
  timestamps: boolean;
  start: boolean;
  timeout?: string;
  pull?: string;
  quietPull: boolean;
  build?: boolean;
  color: boolean;
  logPrefix: boolean;
  attachDependencies: boolean;
}

export function upCommand(io: CliIO): Command {
  return new Command('up')
    .description('Create and start containers')
    .argument('[services...]')
    .option('-d, --detach', 'Detached mode: Run containers in the background', false)
    .option('--wait', 'Wait for services to be running|healthy. Implies detached mode.', false)
    .option('--wait-timeout <seconds>', 'Maximum duration in seconds to wait for the project to be running|healthy')
    .option('--force-recreate', "Recreate containers even if their configuration and image haven't changed", false)
    .option('--no-recreate', "If containers already exist, don't recreate them")
    .option('--no-deps', "Don't start linked services")
    .option('--remove-orphans', 'Remove containers for services not defined in the Compose file', false)
    .option('--scale <SERVICE=NUM>', 'Scale SERVICE to NUM instances', (v: string, p: string[]) => [...p, v], [])
    .option('--abort-on-container-exit', 'Stops all containers if any container was stopped', false)
    .option('--abort-on-container-failure', 'Stops all containers if any container exited with failure', false)
    .option('--exit-code-from <service>', 'Return the exit code of the selected service container')
    .option('--attach <service>', 'Restrict attaching to the specified services', (v: string, p: string[]) => [...p, v], [])
    .addOption(noAttachOption())
    .option('--timestamps', 'Show timestamps', false)
    .option('--no-start', "Don't start the services after creating them")
    .option('-t, --timeout <seconds>', 'Use this timeout in seconds for container shutdown')
    .option('--pull <policy>', 'Pull image before running ("always"|"missing"|"never")')
    .option('--quiet-pull', 'Pull without printing progress information', false)
    .option('--build', 'Build images before starting containers')
    .option('--no-build', "Don't build an image, even if it's policy")
    .option('--no-color', 'Produce monochrome output')
    .option('--menu [enabled]', 'Enable interactive shortcuts when running attached (not supported: ignored)')
    .option('--attach-dependencies', 'Automatically attach to log output of dependent services', false)
    .option('-y, --yes', 'Assume "yes" as answer to all prompts', false)
    .option('--no-log-prefix', "Don't print prefix in logs")
    .action(async (services: string[], flags: UpFlags, command: Command) => {
      const ctx = await composeContext(io, command, services);
      const desired = ctx.desired(parseScale(flags.scale));
      const targets = flags.deps ? withDependencies(ctx.project, servicesOrAll(ctx, services)) : servicesOrAll(ctx, services);
      checkServiceRules(ctx.project.model, targets);
      if (!ctx.dryRun) await prepareImages(io, ctx, desired, targets, flags);
      const actual = await actualContainers(ctx.engine, ctx.project.name);
      const plan = planUp(desired, actual, { forceRecreate: flags.forceRecreate, noRecreate: !flags.recreate, removeOrphans: flags.removeOrphans, noStart: !flags.start, services: targets });
      if (ctx.dryRun) {
        for (const a of plan.containers) io.stdout(`DRY-RUN: ${a.kind} ${a.name}${a.reason ? ` (${a.reason})` : ''}\n`);
        for (const o of plan.orphans) io.stdout(`DRY-RUN: orphan ${o.name}${flags.removeOrphans ? ' (remove)' : ''}\n`);
        return;
      }
      const timeout = flags.timeout === undefined ? undefined : Number(flags.timeout);
      await checkNewPorts(desired, plan);
      const attached = !flags.detach && !flags.wait && flags.start;
      const exits = attached ? await watchProjectExits(ctx) : undefined;
      try {
        await applyUp(ctx.engine, desired, plan, ctx.progress, { noStart: !flags.start, removeOrphans: flags.removeOrphans, warn: ctx.warn, allResources: ctx.allResources, ...(timeout !== undefined ? { timeout } : {}), ...(ctx.concurrency ? { concurrency: ctx.concurrency } : {}) });
      } finally {
        ctx.finishProgress();
      }
      if (flags.wait) return waitUntilReady(ctx, targets, flags);
      if (!attached) return;
      const named = services.length > 0 && !flags.attachDependencies ? services : targets;
      const attachTo = (flags.attach.length ? flags.attach : named).filter((s) => !flags.noAttach.includes(s));
      const code = await followProjectLogs(io, ctx, {
        services: attachTo,
        timestamps: flags.timestamps,
        color: flags.color,
        prefix: flags.logPrefix,
        abortOnExit: flags.abortOnContainerExit || flags.exitCodeFrom !== undefined,
        abortOnFailure: flags.abortOnContainerFailure,
        exitCodeFrom: flags.exitCodeFrom,
        exits: exits!,
        onInterrupt: () => stopProject(ctx, targets, timeout, (name, line) => io.stdout(`${name.replace(`${ctx.project.name}-`, '')}  | ${line}\n`)),
      });
      if (code !== undefined) throw new CommandExit(code);
    });
}

/** `--no-attach <svc>` is not commander's negation of `--attach`: a list of its own (attribute `noAttach`). */
function noAttachOption(): Option {
  const option = new Option('--no-attach <service>', 'Do not attach (stream logs) to the specified services').argParser((v: string, p: string[]) => [...p, v]).default([]);
  option.negate = false;
  return option;
}

/** `up --wait`: every container of the targets running (and healthy when it has a healthcheck), or a clear failure. */
async function waitUntilReady(ctx: Awaited<ReturnType<typeof composeContext>>, services: string[], flags: UpFlags): Promise<void> {
  const deadline = flags.waitTimeout ? Date.now() + Number(flags.waitTimeout) * 1000 : Infinity;
  for (;;) {
    const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => services.includes(c.service) && !c.oneoff);
    const states = await Promise.all(containers.map(async (c) => ({ c, s: (await ctx.engine.inspectContainer(c.id)).State as unknown as { Status: string; ExitCode: number; Health?: { Status: string } } })));
    const failed = states.find(({ s }) => s.Health?.Status === 'unhealthy' || (s.Status === 'exited' && s.ExitCode !== 0));
    if (failed) throw new UserError(`container ${failed.c.name} ${failed.s.Health?.Status === 'unhealthy' ? 'is unhealthy' : `exited (${failed.s.ExitCode})`}`);
    if (states.every(({ s }) => (s.Status === 'running' && (!s.Health || s.Health.Status === 'healthy')) || (s.Status === 'exited' && s.ExitCode === 0))) return;
    if (Date.now() > deadline) throw new UserError(`application not healthy after ${flags.waitTimeout}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
