import type { Duplex } from 'node:stream';
import { frame } from '../../logs/stream-framing.js';
import type { EngineContext, ExecRecord } from '../../context.js';
import { createExec, startExec } from '../../containers/ops/exec.js';
import { acceptUpgrade, rejectUpgrade } from '../hijack.js';
import { notFound, readJson, sendEmpty, sendJson, statusOf } from '../http.js';
import { resizeQuietly } from './containers.js';
import type { Router } from '../router.js';

export function addExecRoutes(router: Router, engine: EngineContext): void {
  const find = (id: string): ExecRecord => {
    const exec = engine.execs.get(id);
    if (!exec) throw notFound(`No such exec instance: ${id}`);
    return exec;
  };
  router
    .add('POST', '/containers/{id}/exec', async ({ req, res, params }) => {
      const exec = createExec(engine, engine.containers.get(params.id!), await readJson<ExecRecord['config']>(req));
      sendJson(res, 201, { Id: exec.id });
    })
    .add(
      'POST',
      '/exec/{id}/start',
      async ({ res, params }) => {
        // Detached start (no upgrade): run it, answer at once.
        await startExec(engine, find(params.id!));
        sendEmpty(res, 200);
      },
      async ({ socket, params }) => {
        let exec: ExecRecord;
        try {
          // The start body ({Detach, Tty}) only repeats what create said; an upgrade means attached.
          exec = find(params.id!);
          await startExec(engine, exec);
        } catch (e) {
          return rejectUpgrade(socket, statusOf(e), (e as Error).message);
        }
        pipeExec(exec, socket);
      },
    )
    .add('GET', '/exec/{id}/json', ({ res, params }) => {
      const exec = find(params.id!);
      sendJson(res, 200, {
        ID: exec.id,
        ContainerID: exec.containerId,
        Running: exec.running,
        ExitCode: exec.exitCode,
        Pid: exec.pid,
        ProcessConfig: { entrypoint: exec.config.Cmd[0], arguments: exec.config.Cmd.slice(1), tty: exec.config.Tty === true, user: exec.config.User ?? '', privileged: exec.config.Privileged === true },
        OpenStdin: exec.config.AttachStdin === true,
        OpenStdout: exec.config.AttachStdout !== false,
        OpenStderr: exec.config.AttachStderr !== false,
      });
    })
    .add('POST', '/exec/{id}/resize', ({ res, params, query }) => {
      resizeQuietly(find(params.id!).process, query);
      sendEmpty(res, 200);
    });
}

/** The exec's output to the client (framed unless a terminal), the client's bytes to its stdin, until it exits. */
function pipeExec(exec: ExecRecord, socket: Duplex): void {
  const process = exec.process!;
  const tty = exec.config.Tty === true;
  acceptUpgrade(socket, tty);
  const streams: Array<['stdout' | 'stderr', NodeJS.ReadableStream | undefined]> = [['stdout', process.stdout], ['stderr', process.stderr]];
  const ended = streams.map(([name, stream]) =>
    stream
      ? new Promise<void>((resolve) => {
          stream.on('data', (chunk: Buffer) => socket.write(tty ? chunk : frame(name, chunk)));
          stream.on('end', resolve);
          stream.on('error', () => resolve());
        })
      : Promise.resolve(),
  );
  if (process.stdin) {
    socket.on('data', (chunk: Buffer) => process.stdin?.write(chunk));
    socket.on('end', () => process.stdin?.end());
  }
  socket.on('error', () => undefined);
  void Promise.all([...ended, exec.exited]).then(() => socket.end());
}
