/** /etc/hosts|hostname|resolv.conf and the spec's own mounts (binds, tmpfs), below the new root. */
import type { ContainerSpec, MountSpec } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import { MS } from '../linux.js';
import { ensureTarget } from './path-in-root.js';

const PROPAGATION: Record<string, number> = {
  private: MS.PRIVATE, rprivate: MS.PRIVATE | MS.REC, shared: MS.SHARED, rshared: MS.SHARED | MS.REC,
  slave: MS.SLAVE, rslave: MS.SLAVE | MS.REC,
};

export function mountEtcFiles(sys: Syscalls, root: string, etc: ContainerSpec['etcFiles']): void {
  const files: [string | undefined, string][] = [[etc.hosts, '/etc/hosts'], [etc.hostname, '/etc/hostname'], [etc.resolvConf, '/etc/resolv.conf']];
  for (const [source, target] of files) {
    if (source !== undefined) bindMount(sys, root, { type: 'bind', source, target, readOnly: false, recursive: false });
  }
}

export function mountSpecMounts(sys: Syscalls, root: string, mounts: MountSpec[]): void {
  for (const m of mounts) {
    if (m.type === 'bind') bindMount(sys, root, m);
    else tmpfsMount(sys, root, m);
  }
}

function bindMount(sys: Syscalls, root: string, m: Extract<MountSpec, { type: 'bind' }>): void {
  const sourceKind = sys.kindOf(m.source);
  if (sourceKind === undefined) throw new Error(`bind source path does not exist: ${m.source}`);
  const target = ensureTarget(sys, root, m.target, sourceKind === 'dir' ? 'dir' : 'file');
  const recursive = m.recursive ?? true;
  sys.mount(m.source, target, null, MS.BIND | (recursive ? MS.REC : 0), null);
  // a bind ignores MS_RDONLY on creation: read-only needs a remount of the new mount
  if (m.readOnly) sys.mount(null, target, null, MS.REMOUNT | MS.BIND | MS.RDONLY, null);
  sys.mount(null, target, null, PROPAGATION[m.propagation ?? 'rprivate']!, null);
}

function tmpfsMount(sys: Syscalls, root: string, m: Extract<MountSpec, { type: 'tmpfs' }>): void {
  const target = ensureTarget(sys, root, m.target, 'dir');
  const options = [...(m.sizeBytes !== undefined ? [`size=${m.sizeBytes}`] : []), ...(m.mode !== undefined ? [`mode=${m.mode.toString(8)}`] : []), ...(m.options ?? [])];
  sys.mount('tmpfs', target, 'tmpfs', MS.NOSUID | MS.NODEV | (m.readOnly ? MS.RDONLY : 0), options.join(',') || null);
}
