import { conflict } from '../../api/http.js';
import type { EngineContext } from '../../context.js';
import type { ContainerRecord } from '../record.js';
import { sendSignal } from './stop.js';

/** POST /containers/{id}/kill: a signal (default SIGKILL) to the container's PID 1. */
export async function killContainer(engine: EngineContext, record: ContainerRecord, signal = 'SIGKILL'): Promise<void> {
  const handle = engine.running.get(record.id);
  if (!handle) throw conflict(`Cannot kill container: ${record.id.slice(0, 12)}: container ${record.id} is not running`);
  record.state.stoppedByUser = true;
  engine.events.container(record, 'kill', { signal });
  if (record.state.status === 'paused') await handle.cgroup.thaw();
  if (/^(SIG)?KILL$|^9$/.test(signal)) await handle.cgroup.killAll('SIGKILL');
  else sendSignal(handle.process, signal);
}
