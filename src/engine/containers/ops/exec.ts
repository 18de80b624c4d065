import { cgroupPlacement } from '../cgroup-placement.js';
import { randomBytes } from 'node:crypto';
import { execInContainer } from '../../../runtime/exec-in-container.js';
import { StartError } from '../../../runtime/errors.js';
import type { RunningContainer } from '../../../runtime/start-container.js';
import { resolveCapabilities } from '../../../runtime/capabilities.js';
import type { ProcessSpec } from '../../../runtime/spec.js';
import { resolveUser } from '../../../runtime/user.js';
import { badRequest, conflict, notFound } from '../../api/http.js';
import type { EngineContext, ExecRecord } from '../../context.js';
import { mergeEnv } from '../build-spec.js';
import { containerPaths } from '../paths.js';
import type { ContainerRecord } from '../record.js';

/** POST /containers/{id}/exec: records what to run; nothing runs until start. */
export function createExec(engine: EngineContext, record: ContainerRecord, config: ExecRecord['config']): ExecRecord {
  if (!engine.running.has(record.id)) throw conflict(`container ${record.id} is not running`);
  if (record.state.status === 'paused') throw conflict(`container ${record.id} is paused, unpause the container before exec`);
  if (!Array.isArray(config.Cmd) || config.Cmd.length === 0) throw badRequest('No exec command specified');
  const exec: ExecRecord = { id: randomBytes(32).toString('hex'), containerId: record.id, config, running: false, exitCode: null, pid: 0 };
  engine.execs.set(exec.id, exec);
  return exec;
}

/** POST /exec/{id}/start: the process joins the container's namespaces and cgroup, with the container's privileges. */
export async function startExec(engine: EngineContext, exec: ExecRecord): Promise<ExecRecord> {
  if (exec.running || exec.exitCode !== null) throw conflict(`exec ${exec.id} has already been started`);
  const record = engine.containers.get(exec.containerId);
  const handle = engine.running.get(record.id);
  if (!handle) throw conflict(`container ${record.id} is not running`);
  const image = engine.images.resolve(record.imageId);
  if (!image) throw notFound(`No such image: ${record.imageRef}`);
  let process: RunningContainer;
  try {
    process = await execInContainer({
      containerPid: handle.process.pid,
      process: execProcessSpec(record, exec, engine.images.lowerDirs(image), image.config.config?.Env ?? []),
      stdio: { stdin: exec.config.AttachStdin ? 'pipe' : 'ignore', ...(exec.config.Tty ? { terminal: { rows: 24, cols: 80 } } : {}) },
      ...cgroupPlacement(handle.cgroup),
    });
  } catch (e) {
    // As Docker: the exec instance keeps the exit code of its failed start (126/127), inspect shows it.
    if (e instanceof StartError) exec.exitCode = e.failure.exitCode;
    throw e;
  }
  Object.assign(exec, { running: true, pid: process.pid, process });
  exec.exited = process.exited.then((status) => {
    Object.assign(exec, { running: false, exitCode: status.exitCode });
    engine.events.container(record, 'exec_die', { execID: exec.id, exitCode: String(status.exitCode) });
  });
  engine.events.container(record, `exec_start: ${exec.config.Cmd.join(' ')}`, { execID: exec.id });
  return exec;
}

/** The process of an exec (or a healthcheck probe): the container's user, env and privileges unless the exec says. */
export function execProcessSpec(record: ContainerRecord, exec: { config: ExecRecord['config'] } | ExecRecord['config'], lowerDirs: string[], imageEnv: string[]): ProcessSpec {
  const config = 'config' in exec ? exec.config : exec;
  const host = record.hostConfig;
  const privileged = host.Privileged === true || config.Privileged === true;
  const user = resolveUser(config.User || record.config.User || undefined, { lowerDirs, upperDir: containerPaths(record).upperDir });
  return {
    args: config.Cmd,
    env: mergeEnv(imageEnv, [...(record.config.Env ?? []), ...(config.Env ?? [])], user.home),
    cwd: config.WorkingDir || record.config.WorkingDir || '/',
    user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
    terminal: config.Tty === true,
    noNewPrivileges: !privileged,
    capabilities: resolveCapabilities({ capAdd: host.CapAdd ?? [], capDrop: host.CapDrop ?? [], privileged }),
    rlimits: (host.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard })),
  };
}
