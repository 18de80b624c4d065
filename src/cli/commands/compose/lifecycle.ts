import { Command } from 'commander';
import { actualContainers, type ActualContainer } from '../../../compose/project/actual.js';
import type { CliIO } from '../../io.js';
import { composeContext, type ComposeContext } from './context.js';
import { stopProject } from './stop-project.js';
import { withDependencies } from './selection.js';
import { buildServiceGraph, traverseGraph, type ServicesWithDependencies } from '../../../graph/index.js';
import { isDict } from '../../../compose/types.js';

type Act = (ctx: ComposeContext, c: ActualContainer) => Promise<void>;

/** Runs `act` on the selected services' containers, with a progress line per container. */
async function eachContainer(ctx: ComposeContext, services: string[], filter: (c: ActualContainer) => boolean, status: [string, string], act: Act): Promise<void> {
  const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => !c.oneoff && (services.length === 0 || services.includes(c.service)) && filter(c));
  try {
    await Promise.all(
      containers.map(async (c) => {
        ctx.progress({ kind: 'Container', name: c.name, status: status[0] });
        await act(ctx, c);
        ctx.progress({ kind: 'Container', name: c.name, status: status[1], done: true });
      }),
    );
  } finally {
    ctx.finishProgress();
  }
}

const running = (c: ActualContainer): boolean => c.state === 'running' || c.state === 'restarting';
const timeoutOf = (flags: { timeout?: string }): number | undefined => (flags.timeout === undefined ? undefined : Number(flags.timeout));

export function lifecycleCommands(io: CliIO): Command[] {
  const start = new Command('start')
    .description('Start services')
    .argument('[services...]')
    .action(async (services: string[], _flags: object, command: Command) => {
      const ctx = await composeContext(io, command, services);
      const targets = services.length ? services : Object.keys((ctx.project.model.services ?? {}) as object);
      const graph = buildServiceGraph((isDict(ctx.project.model.services) ? ctx.project.model.services : {}) as ServicesWithDependencies);
      const containers = await actualContainers(ctx.engine, ctx.project.name);
      try {
        await traverseGraph(graph, async (service) => {
          for (const c of containers.filter((c) => c.service === service && !c.oneoff && !running(c))) {
            ctx.progress({ kind: 'Container', name: c.name, status: 'Starting' });
            await ctx.engine.startContainer(c.id);
            ctx.progress({ kind: 'Container', name: c.name, status: 'Started', done: true });
          }
        }, { direction: 'up', subset: withDependencies(ctx.project, targets) });
      } finally {
        ctx.finishProgress();
      }
    });
  const stop = new Command('stop')
    .description('Stop services')
    .argument('[services...]')
    .option('-t, --timeout <seconds>', 'Specify a shutdown timeout in seconds')
    .action(async (services: string[], flags: { timeout?: string }, command: Command) => {
      const ctx = await composeContext(io, command, services);
      try {
        await stopProject(ctx, services.length ? services : Object.keys((ctx.project.model.services ?? {}) as object), timeoutOf(flags));
      } finally {
        ctx.finishProgress();
      }
    });
  const restart = new Command('restart')
    .description('Restart service containers')
    .argument('[services...]')
    .option('-t, --timeout <seconds>', 'Specify a shutdown timeout in seconds')
    .option('--no-deps', "Don't restart dependent services")
    .action(async (services: string[], flags: { timeout?: string }, command: Command) => {
      const ctx = await composeContext(io, command, services);
      await eachContainer(ctx, services, () => true, ['Restarting', 'Started'], (c, x) => c.engine.restartContainer(x.id, timeoutOf(flags)));
    });
  const kill = new Command('kill')
    .description('Force stop service containers')
    .argument('[services...]')
    .option('-s, --signal <signal>', 'SIGNAL to send to the container', 'SIGKILL')
    .option('--remove-orphans', 'Remove containers for services not defined in the Compose file', false)
    .action(async (services: string[], flags: { signal: string }, command: Command) => {
      const ctx = await composeContext(io, command, services);
      await eachContainer(ctx, services, running, ['Killing', 'Killed'], (c, x) => c.engine.killContainer(x.id, flags.signal));
    });
  const rm = new Command('rm')
    .description('Removes stopped service containers')
    .argument('[services...]')
    .option('-f, --force', "Don't ask to confirm removal", false)
    .option('-s, --stop', 'Stop the containers, if required, before removing', false)
    .option('-v, --volumes', 'Remove any anonymous volumes attached to containers', false)
    .action(async (services: string[], flags: { stop: boolean; volumes: boolean }, command: Command) => {
      const ctx = await composeContext(io, command, services);
      if (flags.stop) await stopProject(ctx, services.length ? services : Object.keys((ctx.project.model.services ?? {}) as object));
      const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => !c.oneoff && (services.length === 0 || services.includes(c.service)) && !running(c));
      if (containers.length === 0) {
        io.stderr('No stopped containers\n');
        ctx.finishProgress();
        return;
      }
      await eachContainer(ctx, services, (c) => !running(c), ['Removing', 'Removed'], (c, x) => c.engine.removeContainer(x.id, { volumes: flags.volumes }));
    });
  const pause = new Command('pause')
    .description('Pause services')
    .argument('[services...]')
    .action(async (services: string[], _f: object, command: Command) => {
      const ctx = await composeContext(io, command, services);
      // an already paused container is the engine's 409, as in docker compose
      await eachContainer(ctx, services, (c) => c.state === 'running' || c.state === 'paused', ['Pausing', 'Paused'], (c, x) => c.engine.pauseContainer(x.id, true));
    });
  const unpause = new Command('unpause')
    .description('Unpause services')
    .argument('[services...]')
    .action(async (services: string[], _f: object, command: Command) => {
      const ctx = await composeContext(io, command, services);
      await eachContainer(ctx, services, (c) => c.state === 'paused', ['Unpausing', 'Unpaused'], (c, x) => c.engine.pauseContainer(x.id, false));
    });
  return [start, stop, restart, kill, rm, pause, unpause];
}
