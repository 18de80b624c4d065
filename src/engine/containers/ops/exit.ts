import type { ExitStatus } from '../../../runtime/spec.js';
import type { EngineContext, RunningHandle } from '../../context.js';
import type { ContainerRecord } from '../record.js';
import { removeContainer } from './remove.js';
import { scheduleRestart } from './restart-policy.js';

/**
 * PID 1 is gone: whatever else is left in the cgroup dies with it (as in Docker), logs are flushed, the state is saved,
 * then the restart policy or auto-remove decides what comes next.
 */
export async function recordExit(engine: EngineContext, record: ContainerRecord, handle: RunningHandle, status: ExitStatus): Promise<void> {
  handle.stopHealth?.();
  const oomKilled = handle.cgroup.oomKilled();
  await handle.cgroup.destroy();
  await engine.networks.detach(record);
  delete record.networkSettings;
  await handle.logs.close();
  engine.running.delete(record.id);
  Object.assign(record.state, {
    status: 'exited',
    pid: 0,
    exitCode: status.exitCode,
    oomKilled,
    finishedAt: status.finishedAt.toISOString(),
  });
  engine.containers.save(record);
  const exitCode = { exitCode: String(status.exitCode) };
  if (oomKilled) engine.events.container(record, 'oom', exitCode);
  engine.events.container(record, 'die', exitCode);
  if (scheduleRestart(engine, record)) return;
  if (record.hostConfig.AutoRemove) await removeContainer(engine, record, { force: false, volumes: false });
}
