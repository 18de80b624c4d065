/**
 * What starting a container and exec'ing into one share: spawn the stage (node + init/main.js) inside the right
 * PID namespace with its stdio, let the engine place it in cgroups, say "go", and wait until it exec'd.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { constants } from 'node:os';
import type { ExitStatus } from './spec.js';
import type { GoMessage } from './init/protocol.js';
import { spawnInPidNamespace } from './pid-namespace.js';
import { StageChannel } from './stage-channel.js';
import { pipeSet, terminalStreams, type EngineStreams, type StdioRequest } from './stage-io.js';
import { StartError } from './errors.js';
import { takeFdFrom } from './syscalls.js';

export interface RunningContainer {
  pid: number; // host PID of the process (the container's PID 1, or the exec'd process)
  stdin?: Writable;
  stdout: Readable;
  stderr?: Readable;
  resize?(rows: number, cols: number): void;
  exited: Promise<ExitStatus>;
  kill(signal: NodeJS.Signals | number): void;
}

export type BeforeGo = (hostPid: number) => Promise<void> | void;

const STAGE_MAIN = fileURLToPath(new URL('./init/main.js', import.meta.url));

export interface LaunchOptions {
  pidNamespace: 'new' | number;
  stdio: StdioRequest;
  go: GoMessage;
  beforeGo?: BeforeGo;
}

export async function launchStage(opts: LaunchOptions): Promise<RunningContainer> {
  const pipes = opts.stdio.terminal ? undefined : pipeSet(opts.stdio.stdin);
  const stdio = pipes ? [...pipes.childStdio, 'pipe'] : ['ignore', 'ignore', 'inherit', 'pipe'];
  // a minimal environment: an inherited NODE_EXTRA_CA_CERTS alone tripled the stage's start time
  const child = spawnInPidNamespace(opts.pidNamespace, process.execPath, [STAGE_MAIN], { stdio: stdio as never, env: {}, detached: true });
  const streams: { value?: EngineStreams } = { value: pipes?.open() };
  const exited = exitStatusOf(child);
  const channel = new StageChannel(child.stdio[3] as never, (fd) => (streams.value = terminalStreams(takeFdFrom(child.pid!, fd))));
  const abandon = async (): Promise<void> => {
    for (const s of [streams.value?.stdin, streams.value?.stdout, streams.value?.stderr]) s?.destroy();
    await exited.catch(() => undefined);
  };
  try {
    await opts.beforeGo?.(child.pid!);
  } catch (err) {
    child.kill('SIGKILL');
    await abandon();
    throw err;
  }
  channel.send(opts.go);
  const failure = await channel.outcome();
  if (failure) {
    await abandon();
    throw new StartError(failure);
  }
  return running(child, streams.value!, exited);
}

function running(child: ChildProcess, streams: EngineStreams, exited: Promise<ExitStatus>): RunningContainer {
  return {
    pid: child.pid!,
    ...streams,
    exited,
    kill: (signal) => void child.kill(signal),
  };
}

function exitStatusOf(child: ChildProcess): Promise<ExitStatus> {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
      resolve({ exitCode, ...(signal ? { signal } : {}), oomKilled: false, finishedAt: new Date() });
    });
  });
}
