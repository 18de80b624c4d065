import type { HealthcheckConfig } from '../api/docker-types.js';
import type { EngineContext, RunningHandle } from '../context.js';
import { cgroupPlacement } from './cgroup-placement.js';
import { execInContainer } from '../../runtime/exec-in-container.js';
import { execProcessSpec } from './ops/exec.js';
import type { ContainerRecord, HealthState } from './record.js';

const SECOND = 1e9;
/** Docker's defaults (nanoseconds), used when the image/service leaves them out. */
const DEFAULTS = { interval: 30 * SECOND, timeout: 30 * SECOND, startInterval: 5 * SECOND, retries: 3 };
const MAX_OUTPUT = 4096;
const KEEP_LOG = 5;

interface ProbeResult {
  exitCode: number;
  output: string;
  start: Date;
  end: Date;
}

/** Starts the probes of a container that has a healthcheck; returns how to stop them (at exit). */
export function startHealthMonitor(engine: EngineContext, record: ContainerRecord, handle: RunningHandle): (() => void) | undefined {
  const check = record.config.Healthcheck;
  const test = commandOf(check);
  if (!check || !test) return undefined;
  record.state.health = { Status: 'starting', FailingStreak: 0, Log: [] };
  engine.containers.save(record);
  const startedAt = Date.now();
  const startPeriodMs = (check.StartPeriod ?? 0) / 1e6;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    const inStartPeriod = Date.now() - startedAt < startPeriodMs && record.state.health?.Status === 'starting';
    const delay = (inStartPeriod ? (check.StartInterval || DEFAULTS.startInterval) : (check.Interval || DEFAULTS.interval)) / 1e6;
    timer = setTimeout(() => void probeOnce().finally(schedule), delay);
    timer.unref();
  };
  const probeOnce = async (): Promise<void> => {
    const result = await probe(engine, record, handle, test, (check.Timeout || DEFAULTS.timeout) / 1e6);
    if (stopped) return;
    const inStartPeriod = Date.now() - startedAt < startPeriodMs;
    applyResult(engine, record, result, check.Retries || DEFAULTS.retries, inStartPeriod);
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** `["CMD", ...]` runs as is, `["CMD-SHELL", "..."]` through /bin/sh -c; `NONE` or nothing = no healthcheck. */
function commandOf(check: HealthcheckConfig | undefined): string[] | undefined {
  const [kind, ...rest] = check?.Test ?? [];
  if (kind === 'CMD' && rest.length) return rest;
  if (kind === 'CMD-SHELL' && rest.length) return ['/bin/sh', '-c', rest.join(' ')];
  return undefined;
}

async function probe(engine: EngineContext, record: ContainerRecord, handle: RunningHandle, args: string[], timeoutMs: number): Promise<ProbeResult> {
  const start = new Date();
  try {
    const image = engine.images.get(record.imageId);
    const process = await execInContainer({
      containerPid: handle.process.pid,
      process: execProcessSpec(record, { Cmd: args }, engine.images.lowerDirs(image), image.config.config?.Env ?? []),
      stdio: { stdin: 'ignore' },
      ...cgroupPlacement(handle.cgroup),
    });
    const output = collect(process.stdout, process.stderr);
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    const outcome = await Promise.race([process.exited, timeout]);
    if (outcome === 'timeout') {
      process.kill('SIGKILL');
      return { exitCode: -1, output: `Health check exceeded timeout (${timeoutMs / 1000}s)`, start, end: new Date() };
    }
    return { exitCode: outcome.exitCode, output: (await output).slice(0, MAX_OUTPUT), start, end: new Date() };
  } catch (e) {
    return { exitCode: -1, output: (e as Error).message, start, end: new Date() };
  }
}

async function collect(...streams: Array<NodeJS.ReadableStream | undefined>): Promise<string> {
  const chunks: Buffer[] = [];
  await Promise.all(streams.map((s) => (s ? (async () => { for await (const c of s) chunks.push(c as Buffer); })() : undefined)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Docker's rules: a success is healthy at once; failures count only after the start period, `retries` in a row. */
function applyResult(engine: EngineContext, record: ContainerRecord, result: ProbeResult, retries: number, inStartPeriod: boolean): void {
  const health: HealthState = record.state.health ?? { Status: 'starting', FailingStreak: 0, Log: [] };
  const before = health.Status;
  health.Log = [...health.Log, { Start: result.start.toISOString(), End: result.end.toISOString(), ExitCode: result.exitCode, Output: result.output }].slice(-KEEP_LOG);
  if (result.exitCode === 0) {
    health.Status = 'healthy';
    health.FailingStreak = 0;
  } else if (!inStartPeriod) {
    health.FailingStreak += 1;
    if (health.FailingStreak >= retries) health.Status = 'unhealthy';
  }
  record.state.health = health;
  engine.containers.save(record);
  if (health.Status !== before) engine.events.container(record, `health_status: ${health.Status}`);
}
