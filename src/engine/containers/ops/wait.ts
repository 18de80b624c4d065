import type { EngineContext } from '../../context.js';
import type { ContainerRecord } from '../record.js';

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

/** POST /containers/{id}/wait: resolves with the exit code once the condition holds. */
export async function waitContainer(engine: EngineContext, record: ContainerRecord, condition: WaitCondition): Promise<number> {
  if (condition === 'removed') {
    await new Promise<void>((resolve) => engine.removals.set(record.id, [...(engine.removals.get(record.id) ?? []), resolve]));
    return record.state.exitCode;
  }
  const handle = engine.running.get(record.id);
  if (handle) await handle.settled;
  else if (condition === 'next-exit') await nextExit(engine, record);
  // A restart policy may bring it back at once: "not-running" is still satisfied by this exit.
  return record.state.exitCode;
}

function nextExit(engine: EngineContext, record: ContainerRecord): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = engine.events.subscribe((event) => {
      if (event.Actor.ID === record.id && event.Action === 'die') {
        unsubscribe();
        resolve();
      }
    });
  });
}
