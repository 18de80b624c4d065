import { conflict } from '../../api/http.js';
import type { EngineContext } from '../../context.js';
import type { ContainerRecord } from '../record.js';
import { checkTransition } from '../transitions.js';

/** POST /containers/{id}/pause and /unpause: the freezer (v1) or cgroup.freeze (v2). */
export async function pauseContainer(engine: EngineContext, record: ContainerRecord, paused: boolean): Promise<void> {
  const handle = engine.running.get(record.id);
  if (!handle) throw conflict(`Container ${record.id} is not running`);
  if (paused && record.state.status === 'paused') throw conflict(`Container ${record.id} is already paused`);
  if (!paused && record.state.status !== 'paused') throw conflict(`Container ${record.id} is not paused`);
  checkTransition(record.id, record.state.status, paused ? 'paused' : 'running');
  await (paused ? handle.cgroup.freeze() : handle.cgroup.thaw());
  record.state.status = paused ? 'paused' : 'running';
  engine.containers.save(record);
  engine.events.container(record, paused ? 'pause' : 'unpause');
}
