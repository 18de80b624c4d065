import { Command } from 'commander';
import type { EngineApi } from '../../../engine/client/engine-api.js';
import { connectEngine } from '../../engine-connection.js';
import { CommandExit, type CliIO } from '../../io.js';
import { addCreateOptions, createBody, type CreateFlags } from './create-options.js';
import { startOrExit } from './run.js';

/** Runs `act` for each container named, printing each name as docker does; the first failure sets exit code 1. */
async function forEachContainer(io: CliIO, names: string[], act: (engine: EngineApi, name: string) => Promise<void>): Promise<void> {
  const engine = await connectEngine(io);
  let failed = false;
  for (const name of names) {
    try {
      await act(engine, name);
      io.stdout(`${name}\n`);
    } catch (e) {
      failed = true;
      io.stderr(`${(e as Error).message}\n`);
    }
  }
  if (failed) throw new CommandExit(1);
}

export function lifecycleCommands(io: CliIO): Command[] {
  const create = addCreateOptions(new Command('create').description('Create a new container').argument('<image>').argument('[command...]').passThroughOptions()).action(
    async (image: string, command: string[], flags: CreateFlags) => {
      const engine = await connectEngine(io);
      const { Id } = await engine.createContainer(createBody(image, command, flags), flags.name);
      io.stdout(`${Id}\n`);
    },
  );
  const start = new Command('start')
    .description('Start one or more stopped containers')
    .argument('<containers...>')
    .action(async (names: string[]) => {
      const engine = await connectEngine(io);
      for (const name of names) {
        await startOrExit(engine, name);
        io.stdout(`${name}\n`);
      }
    });
  const stop = new Command('stop')
    .description('Stop one or more running containers')
    .argument('<containers...>')
    .option('-t, --timeout <seconds>', 'Seconds to wait before killing the container')
    .action((names: string[], flags: { timeout?: string }) => forEachContainer(io, names, (e, n) => e.stopContainer(n, flags.timeout === undefined ? undefined : Number(flags.timeout))));
  const restart = new Command('restart')
    .description('Restart one or more containers')
    .argument('<containers...>')
    .option('-t, --timeout <seconds>', 'Seconds to wait before killing the container')
    .action((names: string[], flags: { timeout?: string }) => forEachContainer(io, names, (e, n) => e.restartContainer(n, flags.timeout === undefined ? undefined : Number(flags.timeout))));
  const kill = new Command('kill')
    .description('Kill one or more running containers')
    .argument('<containers...>')
    .option('-s, --signal <signal>', 'Signal to send to the container', 'KILL')
    .action((names: string[], flags: { signal: string }) => forEachContainer(io, names, (e, n) => e.killContainer(n, flags.signal)));
  const rm = new Command('rm')
    .description('Remove one or more containers')
    .argument('<containers...>')
    .option('-f, --force', 'Force the removal of a running container (uses SIGKILL)', false)
    .option('-v, --volumes', 'Remove anonymous volumes associated with the container', false)
    .action((names: string[], flags: { force: boolean; volumes: boolean }) => forEachContainer(io, names, (e, n) => e.removeContainer(n, flags)));
  const pause = new Command('pause')
    .description('Pause all processes within one or more containers')
    .argument('<containers...>')
    .action((names: string[]) => forEachContainer(io, names, (e, n) => e.pauseContainer(n, true)));
  const unpause = new Command('unpause')
    .description('Unpause all processes within one or more containers')
    .argument('<containers...>')
    .action((names: string[]) => forEachContainer(io, names, (e, n) => e.pauseContainer(n, false)));
  const wait = new Command('wait')
    .description('Block until one or more containers stop, then print their exit codes')
    .argument('<containers...>')
    .action(async (names: string[]) => {
      const engine = await connectEngine(io);
      for (const name of names) io.stdout(`${(await (await engine.waitContainer(name)).result()).StatusCode}\n`);
    });
  return [create, start, stop, restart, kill, rm, pause, unpause, wait];
}
