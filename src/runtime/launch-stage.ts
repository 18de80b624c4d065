/**
 * What starting a container and exec'ing into one share: spawn the stage (node + init/main.js) inside the right
 * PID namespace with its stdio, let the engine place it in cgroups, say "go", and wait until it exec'd.
 */
import type { ChildProcess } from 'node:child_process';
import { builtProgram } from '../util/package-root.js';
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

const STAGE_MAIN = builtProgram('runtime/init/main.js');

export interface LaunchOptions {
  pidNamespace: 'new' | number;
  stdio: StdioRequest;
  go: GoMessage;
  beforeGo?: BeforeGo;
}

/** A spawned stage waiting for its "go": its process, channel, stdio and exit. */
export interface SpawnedStage {
  child: ChildProcess;
  channel: StageChannel;
  streams: { value?: EngineStreams };
  exited: Promise<ExitStatus>;
}

/** Spawns the stage (node + init/main.js) in the PID namespace with its stdio; it then waits for "go". */
export function spawnStage(pidNamespace: 'new' | number, stdio: StdioRequest): SpawnedStage {
  const pipes = stdio.terminal ? undefined : pipeSet(stdio.stdin);
  const childStdio = pipes ? [...pipes.childStdio, 'pipe'] : ['ignore', 'ignore', 'inherit', 'pipe'];
  // a minimal environment: an inherited NODE_EXTRA_CA_CERTS alone tripled the stage's start time
  const child = spawnInPidNamespace(pidNamespace, process.execPath, [STAGE_MAIN], { stdio: childStdio as never, env: {}, detached: true });
  const streams: { value?: EngineStreams } = { value: pipes?.open() };
  const exited = exitStatusOf(child);
  const channel = new StageChannel(child.stdio[3] as never, (fd) => (streams.value = terminalStreams(takeFdFrom(child.pid!, fd))));
  return { child, channel, streams, exited };
}

export async function launchStage(opts: LaunchOptions): Promise<RunningContainer> {
  return goStage(spawnStage(opts.pidNamespace, opts.stdio), opts.go, opts.beforeGo);
}

/** Lets the engine place the stage in cgroups, says "go", and waits until it exec'd (or reports why not). */
export async function goStage(stage: SpawnedStage, go: GoMessage, beforeGo?: BeforeGo): Promise<RunningContainer> {
  const { child, channel, streams, exited } = stage;
  const abandon = async (): Promise<void> => {
    for (const s of [streams.value?.stdin, streams.value?.stdout, streams.value?.stderr]) s?.destroy();
    await exited.catch(() => undefined);
  };
  try {
    await beforeGo?.(child.pid!);
  } catch (err) {
    child.kill('SIGKILL');
    await abandon();
    throw err;
  }
  channel.send(go);
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
