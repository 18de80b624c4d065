import { Command } from 'commander';
import { CommandExit, type CliIO } from '../../io.js';
import { connectEngine } from '../../engine-connection.js';
import type { EngineApi } from '../../../engine/client/engine-api.js';
import { EngineError } from '../../../engine/client/http-client.js';
import { UserError } from '../../../errors.js';
import { pipeAttached } from './attach-streams.js';
import { addCreateOptions, createBody, type CreateFlags } from './create-options.js';

/** `container run`: create, attach, start, wait — exit code as `docker run` (the container's, or 125/126/127). */
export function runCommand(io: CliIO): Command {
  return addCreateOptions(
    new Command('run')
      .description('Create and run a new container from an image')
      .argument('<image>')
      .argument('[command...]')
      .option('-d, --detach', 'Run container in background and print container ID', false)
      .passThroughOptions(),
  ).action(async (image: string, command: string[], flags: CreateFlags) => {
    const engine = await connectEngine(io);
    const { Id: id } = await engine.createContainer(createBody(image, command, flags), flags.name).catch((e: unknown) => {
      throw e instanceof EngineError ? new UserError(e.message, undefined, 125) : e; // docker run: 125 = the engine refused
    });
    const removeOnFailure = (): void => void (flags.rm ? engine.removeContainer(id, { force: true }).catch(() => undefined) : undefined);
    if (flags.detach) {
      await startOrExit(engine, id, removeOnFailure);
      io.stdout(`${id}\n`);
      return;
    }
    const socket = await engine.attach(id, { stdin: flags.interactive });
    const exit = await engine.waitContainer(id, flags.rm ? 'removed' : 'next-exit');
    await startOrExit(engine, id, () => {
      socket.destroy();
      exit.cancel();
      removeOnFailure();
    });
    await pipeAttached(socket, { tty: flags.tty, stdin: flags.interactive, io, resize: (r, c) => engine.resizeContainer(id, r, c) });
    const { StatusCode } = await exit.result();
    throw new CommandExit(StatusCode);
  });
}

/** Docker's exit codes for a container that could not start: 127 not found, 126 not executable, 125 otherwise. */
export async function startOrExit(engine: EngineApi, id: string, cleanup: () => void = () => undefined): Promise<void> {
  try {
    await engine.startContainer(id);
  } catch (e) {
    if (!(e instanceof EngineError)) {
      cleanup();
      throw e;
    }
    const state = await engine.inspectContainer(id).then((c) => c.State, () => undefined);
    const code = state && (state.ExitCode === 126 || state.ExitCode === 127) ? state.ExitCode : 125;
    cleanup();
    throw new UserError(e.message, undefined, code);
  }
}
