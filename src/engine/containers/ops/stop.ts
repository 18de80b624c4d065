import type { EngineContext } from '../../context.js';
import type { ContainerRecord } from '../record.js';

const DEFAULT_GRACE_SECONDS = 10;

/**
 * POST /containers/{id}/stop: the stop signal to PID 1, then after the grace period SIGKILL to every process of the
 * cgroup (a PID 1 ignoring SIGTERM is the common case: PID 1 has no default signal actions).
 */
export async function stopContainer(engine: EngineContext, record: ContainerRecord, graceSeconds?: number): Promise<'stopped' | 'already'> {
  if (record.state.status === 'restarting') {
    record.state.status = 'exited';
    record.state.stoppedByUser = true;
    engine.containers.save(record);
    return 'stopped';
  }
  const handle = engine.running.get(record.id);
  if (!handle) return 'already';
  record.state.stoppedByUser = true;
  const grace = graceSeconds ?? record.config.StopTimeout ?? DEFAULT_GRACE_SECONDS;
  if (record.state.status === 'paused') await handle.cgroup.thaw();
  engine.events.container(record, 'kill', { signal: record.config.StopSignal ?? 'SIGTERM' });
  sendSignal(handle.process, record.config.StopSignal ?? 'SIGTERM');
  const exitedInTime = await Promise.race([handle.settled.then(() => true), delay(grace * 1000).then(() => false)]);
  if (!exitedInTime) {
    engine.events.container(record, 'kill', { signal: 'SIGKILL' });
    await handle.cgroup.killAll('SIGKILL');
  }
  await handle.settled;
  engine.events.container(record, 'stop');
  return 'stopped';
}

export function sendSignal(process: { kill(signal: NodeJS.Signals | number): void }, signal: string): void {
  const numeric = Number(signal);
  const name = Number.isInteger(numeric) ? numeric : ((signal.startsWith('SIG') ? signal : `SIG${signal}`) as NodeJS.Signals);
  try {
    process.kill(name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
