import { Command } from 'commander';
import { actualContainers, type ActualContainer } from '../../../compose/project/actual.js';
import { EngineError } from '../../../engine/client/http-client.js';
import { UserError } from '../../../errors.js';
import { CommandExit, type CliIO } from '../../io.js';
import { pipeAttached } from '../container/attach-streams.js';
import { composeContext } from './context.js';

interface ExecFlags {
  detach: boolean;
  env: string[];
  user?: string;
  workdir?: string;
  tty: boolean;
  index?: string;
  privileged: boolean;
  interactive: boolean;
}

/** `exec SERVICE CMD`: in the service's container (`--index` for a replica); a terminal unless -T or no tty. */
export function execCommand(io: CliIO): Command {
  return new Command('exec')
    .description('Execute a command in a running container')
    .argument('<service>')
    .argument('<command...>')
    .option('-d, --detach', 'Detached mode: Run command in the background', false)
    .option('-e, --env <KEY=VAL>', 'Set environment variables', (v: string, p: string[]) => [...p, v], [])
    .option('-u, --user <user>', 'Run the command as this user')
    .option('-w, --workdir <dir>', 'Path to workdir directory for this command')
    .option('-T, --no-tty', 'Disable pseudo-TTY allocation')
    .option('--index <n>', 'Index of the container if service has multiple replicas')
    .option('--privileged', 'Give extended privileges to the process', false)
    .option('-i, --interactive', 'Keep STDIN open even if not attached (the default)', true)
    .passThroughOptions()
    .action(async (service: string, command: string[], flags: ExecFlags, cmd: Command) => {
      const ctx = await composeContext(io, cmd);
      const container = pickContainer(await actualContainers(ctx.engine, ctx.project.name), service, flags.index);
      const tty = flags.tty && io.streams.in.isTTY === true && !flags.detach;
      const stdin = !flags.detach && (tty || io.streams.in.isTTY !== true);
      const { Id } = await ctx.engine.createExec(container.id, {
        Cmd: command,
        Env: flags.env,
        Tty: tty,
        AttachStdin: stdin,
        AttachStdout: !flags.detach,
        AttachStderr: !flags.detach,
        Privileged: flags.privileged,
        ...(flags.user ? { User: flags.user } : {}),
        ...(flags.workdir ? { WorkingDir: flags.workdir } : {}),
      });
      if (flags.detach) return ctx.engine.startExecDetached(Id);
      const socket = await ctx.engine.startExecAttached(Id).catch(async (e: unknown) => {
        const code = (await ctx.engine.inspectExec(Id).catch(() => undefined))?.ExitCode;
        throw e instanceof EngineError ? new UserError(e.message, undefined, code === 127 ? 127 : 126) : e;
      });
      await pipeAttached(socket, { tty, stdin, io, resize: (r, c) => ctx.engine.resizeExec(Id, r, c) });
      let state = await ctx.engine.inspectExec(Id);
      while (state.Running) {
        await new Promise((r) => setTimeout(r, 10));
        state = await ctx.engine.inspectExec(Id);
      }
      throw new CommandExit(state.ExitCode ?? 0);
    });
}

/** `--index N`: that replica; without it the first running replica, else a running one-off (as docker compose). */
function pickContainer(containers: ActualContainer[], service: string, index: string | undefined): ActualContainer {
  const running = containers.filter((c) => c.service === service && c.state === 'running');
  const number = index === undefined ? undefined : Number(index);
  const found = number !== undefined ? running.find((c) => !c.oneoff && c.number === number) : running.sort((a, b) => Number(a.oneoff) - Number(b.oneoff) || a.number - b.number)[0];
  if (!found) throw new UserError(number !== undefined ? `service "${service}" is not running container #${number}` : `service "${service}" is not running`);
  return found;
}
