import type { EngineContext } from '../../context.js';
import type { ContainerRecord } from '../record.js';
import { startContainer } from './start.js';

/** Docker's back-off: 100 ms doubling per consecutive restart, at most a minute; reset after 10 s of running. */
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
const RESET_AFTER_MS = 10_000;

export function shouldRestart(record: ContainerRecord): boolean {
  const policy = record.hostConfig.RestartPolicy?.Name ?? 'no';
  if (record.state.stoppedByUser || policy === 'no' || policy === '') return false;
  if (policy === 'on-failure') {
    const max = record.hostConfig.RestartPolicy?.MaximumRetryCount ?? 0;
    return record.state.exitCode !== 0 && (max === 0 || record.restartCount < max);
  }
  return policy === 'always' || policy === 'unless-stopped';
}

/** Starts the container again after the back-off delay when its policy says so; returns whether it will. */
export function scheduleRestart(engine: EngineContext, record: ContainerRecord): boolean {
  if (!shouldRestart(record)) return false;
  const ranFor = Date.parse(record.state.finishedAt) - Date.parse(record.state.startedAt);
  const streak = ranFor >= RESET_AFTER_MS ? 0 : record.restartCount;
  const delay = Math.min(FIRST_DELAY_MS * 2 ** streak, MAX_DELAY_MS);
  record.state.status = 'restarting';
  engine.containers.save(record);
  setTimeout(() => {
    if (record.state.status !== 'restarting' || !engine.containers.find(record.id)) return;
    record.state.status = 'exited';
    record.restartCount = streak + 1;
    startContainer(engine, record).catch((e: unknown) => {
      record.state.error = (e as Error).message;
      engine.containers.save(record);
    });
  }, delay).unref();
  return true;
}
