import { conflict } from '../../api/http.js';
import type { EngineContext } from '../../context.js';
import type { ContainerRecord } from '../record.js';
import { checkTransition } from '../transitions.js';

/** DELETE /containers/{id}: a running container only with force (killed first); its folder goes with it. */
export async function removeContainer(engine: EngineContext, record: ContainerRecord, opts: { force: boolean; volumes: boolean }): Promise<void> {
  const handle = engine.running.get(record.id);
  if (handle && !opts.force) {
    throw conflict(`cannot remove container "/${record.name}": container is running: stop the container before removing or force remove`);
  }
  if (record.state.status === 'removing') return;
  if (handle) {
    record.state.stoppedByUser = true;
    await handle.cgroup.killAll('SIGKILL');
    await handle.settled;
  }
  checkTransition(record.id, record.state.status, 'removing');
  record.state.status = 'removing';
  engine.containers.delete(record.id);
  // Docker's --rm (AutoRemove) removes the anonymous volumes too
  engine.volumes.release(record, opts.volumes || record.hostConfig.AutoRemove === true);
  engine.outputs.delete(record.id);
  engine.events.container(record, 'destroy');
  for (const notify of engine.removals.get(record.id) ?? []) notify();
  engine.removals.delete(record.id);
}
