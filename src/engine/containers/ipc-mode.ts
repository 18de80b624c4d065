/**
 * Docker's IpcMode: `private` (the default) and `shareable` get a namespace of their own, `host` joins the host's,
 * `container:<name|id>` joins that running container's. A joined namespace brings its /dev/shm along (POSIX
 * shared memory lives there), as Docker does.
 */
import { badRequest, conflict } from '../api/http.js';
import type { MountSpec } from '../../runtime/spec.js';
import type { ContainerStore } from './store.js';
import type { ContainerRecord } from './record.js';
import { containerPaths } from './paths.js';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_IPC_MODE = 'private';

/** At create: a mode Docker knows (the container of `container:` is looked up at start, as Docker does). */
export function checkIpcMode(mode: string | undefined): string {
  const value = mode || DEFAULT_IPC_MODE;
  if (['private', 'shareable', 'host', 'none'].includes(value)) return value;
  if (/^container:.+/.test(value)) return value;
  throw badRequest(`invalid IPC mode: ${value}`);
}

/**
 * At start: the namespace to join (host, or a shareable container's) and the /dev/shm to mount. A shareable
 * container's /dev/shm is a folder of its own on the host, not a tmpfs: a mount made inside one container's
 * mount namespace cannot be bound into another's, a host folder can (and goes with the container's folder).
 */
export function ipcSetup(record: ContainerRecord, containers: ContainerStore): { nsPath?: string; shm?: MountSpec } {
  const mode = record.hostConfig.IpcMode;
  if (mode === 'host') return { nsPath: `/proc/${process.pid}/ns/ipc`, shm: shmBind('/dev/shm') };
  if (mode === 'shareable') return { shm: shmBind(sharedShmDir(record)) };
  if (!mode?.startsWith('container:')) return {};
  const target = containers.get(mode.slice('container:'.length));
  if (target.state.status !== 'running' || !target.state.pid) throw conflict(`cannot join IPC of a non running container: ${target.name}`);
  if (target.hostConfig.IpcMode === 'host') return { nsPath: `/proc/${process.pid}/ns/ipc`, shm: shmBind('/dev/shm') };
  if (target.hostConfig.IpcMode !== 'shareable') {
    throw conflict(`cannot join IPC of container ${target.name}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`);
  }
  return { nsPath: `/proc/${target.state.pid}/ns/ipc`, shm: shmBind(sharedShmDir(target)) };
}

function sharedShmDir(record: ContainerRecord): string {
  const dir = join(containerPaths(record).folder, 'shm');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o1777);
  return dir;
}

function shmBind(source: string): MountSpec {
  return { type: 'bind', source, target: '/dev/shm', readOnly: false, recursive: false };
}
