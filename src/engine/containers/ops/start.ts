import { JsonFileLogWriter } from '../../logs/json-file.js';
import { logOptionsOf } from '../log-options.js';
import { startContainer as runtimeStart, type RunningContainer } from '../../../runtime/start-container.js';
import type { ExitStatus } from '../../../runtime/spec.js';
import { StartError } from '../../../runtime/errors.js';
import { ApiError, notFound } from '../../api/http.js';
import type { EngineContext, RunningHandle } from '../../context.js';
import { buildContainerSpec } from '../build-spec.js';
import { ipcSetup } from '../ipc-mode.js';
import { cgroupLimitsOf } from '../limits.js';
import type { ContainerRecord } from '../record.js';
import { checkTransition } from '../transitions.js';
import { recordExit } from './exit.js';
import { startHealthMonitor } from '../health.js';

/** POST /containers/{id}/start. Resolves once PID 1 runs; a failure before exec is reported with Docker's wording. */
export async function startContainer(engine: EngineContext, record: ContainerRecord): Promise<'started' | 'already'> {
  if (record.state.status === 'running' || record.state.status === 'paused') return 'already';
  checkTransition(record.id, record.state.status, 'running');
  const image = engine.images.resolve(record.imageId);
  if (!image) throw notFound(`No such image: ${record.imageRef}`);
  const lowerDirs = engine.images.lowerDirs(image);
  const mounts = await engine.volumes.mountsFor(record, lowerDirs);
  const ipc = ipcSetup(record, engine.containers);
  const built = buildContainerSpec(record, image.config.config ?? {}, lowerDirs, mounts, engine.networks.namespaceOf?.(record));
  const spec = { ...built, ...(ipc.nsPath ? { ipcnsPath: ipc.nsPath } : {}), mounts: ipc.shm ? [...built.mounts, ipc.shm] : built.mounts };
  const cgroup = engine.cgroups.container(record.id);
  cgroup.create(cgroupLimitsOf(record.hostConfig));
  const joinCgroups = cgroup.selfJoinFiles();
  let process: RunningContainer;
  try {
    process = await runtimeStart({
      spec,
      stdio: { stdin: record.config.OpenStdin ? 'pipe' : 'ignore', ...(spec.process.terminal ? { terminal: { rows: 24, cols: 80 } } : {}) },
      ...(joinCgroups ? { joinCgroups } : {}),
      beforeGo: async (pid) => {
        if (!joinCgroups) cgroup.addProcess(pid);
        // The stage waits alone in its fresh network namespace: its interfaces go in now, before its payload runs.
        record.networkSettings = await engine.networks.attach(record, pid);
      },
      pool: engine.stagePool,
    });
  } catch (e) {
    await engine.networks.detach(record);
    delete record.networkSettings;
    await cgroup.destroy();
    throw failedStart(engine, record, e);
  }
  const logs = new JsonFileLogWriter(record.logPath, logOptionsOf(record));
  tapOutput(engine, record, process, logs);
  Object.assign(record.state, { status: 'running', pid: process.pid, exitCode: 0, error: '', oomKilled: false, startedAt: new Date().toISOString(), stoppedByUser: false });
  delete record.state.health;
  engine.containers.save(record);
  const handle: RunningHandle = { process, cgroup, logs, settled: Promise.resolve() };
  handle.settled = process.exited.then((status: ExitStatus) => recordExit(engine, record, handle, status));
  engine.running.set(record.id, handle);
  const stopHealth = startHealthMonitor(engine, record, handle);
  if (stopHealth) handle.stopHealth = stopHealth;
  engine.events.container(record, 'start');
  return 'started';
}

/** Output goes to the json-file log and to anyone attached. */
function tapOutput(engine: EngineContext, record: ContainerRecord, process: RunningContainer, logs: JsonFileLogWriter): void {
  const bus = engine.outputs.get(record.id);
  const streams: Array<['stdout' | 'stderr', NodeJS.ReadableStream | undefined]> = [['stdout', process.stdout], ['stderr', process.stderr]];
  for (const [name, stream] of streams) {
    if (!stream) continue;
    logs.attach(stream, name);
    if (bus) stream.on('data', (chunk: Buffer) => bus.emit('data', name, chunk));
  }
}

/** Docker keeps a container that failed to start as "created", with the exit code and error of the failure. */
function failedStart(engine: EngineContext, record: ContainerRecord, error: unknown): Error {
  if (!(error instanceof StartError)) return error as Error;
  record.state.exitCode = error.failure.exitCode;
  record.state.error = error.message;
  engine.containers.save(record);
  engine.events.container(record, 'die', { exitCode: String(error.failure.exitCode) });
  return new ApiError(error.failure.exitCode === 125 ? 500 : 400, `failed to create task for container: ${error.message}`);
}
