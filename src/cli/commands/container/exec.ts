import { Command } from 'commander';
import { connectEngine } from '../../engine-connection.js';
import { CommandExit, type CliIO } from '../../io.js';
import { pipeAttached } from './attach-streams.js';
import { EngineError } from '../../../engine/client/http-client.js';
import { UserError } from '../../../errors.js';

interface ExecFlags {
  detach: boolean;
  env: string[];
  interactive: boolean;
  tty: boolean;
  user?: string;
  workdir?: string;
  privileged: boolean;
}

/** `container exec`: exit code is the process's own (126/127 when it cannot run, as docker). */
export function execCommand(io: CliIO): Command {
  return new Command('exec')
    .description('Execute a command in a running container')
    .argument('<container>')
    .argument('<command...>')
    .option('-d, --detach', 'Detached mode: run command in the background', false)
    .option('-e, --env <KEY=VALUE>', 'Set environment variables', (v: string, p: string[]) => [...p, v], [])
    .option('-i, --interactive', 'Keep STDIN open even if not attached', false)
    .option('-t, --tty', 'Allocate a pseudo-TTY', false)
    .option('-u, --user <user>', 'Username or UID (format: "<name|uid>[:<group|gid>]")')
    .option('-w, --workdir <dir>', 'Working directory inside the container')
    .option('--privileged', 'Give extended privileges to the command', false)
    .passThroughOptions()
    .action(async (name: string, command: string[], flags: ExecFlags) => {
      const engine = await connectEngine(io);
      const { Id } = await engine.createExec(name, {
        Cmd: command,
        Env: flags.env,
        Tty: flags.tty,
        AttachStdin: flags.interactive && !flags.detach,
        AttachStdout: !flags.detach,
        AttachStderr: !flags.detach,
        Privileged: flags.privileged,
        ...(flags.user ? { User: flags.user } : {}),
        ...(flags.workdir ? { WorkingDir: flags.workdir } : {}),
      });
      if (flags.detach) return engine.startExecDetached(Id);
      const socket = await engine.startExecAttached(Id).catch(async (e: unknown) => {
        // Docker's exit codes when the process cannot start: 126/127 as recorded on the exec, else 126.
        const code = (await engine.inspectExec(Id).catch(() => undefined))?.ExitCode;
        throw e instanceof EngineError ? new UserError(e.message, undefined, code === 127 ? 127 : 126) : e;
      });
      await pipeAttached(socket, { tty: flags.tty, stdin: flags.interactive, io, resize: (r, c) => engine.resizeExec(Id, r, c) });
      let state = await engine.inspectExec(Id);
      while (state.Running) {
        await new Promise((r) => setTimeout(r, 10));
        state = await engine.inspectExec(Id);
      }
      throw new CommandExit(state.ExitCode ?? 0);
    });
}
