/** /etc/hosts|hostname|resolv.conf and the spec's own mounts (binds, tmpfs, images), below the new root. */
import type { ContainerSpec, MountSpec } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import { MS } from '../linux.js';
import { ensureTarget, resolveInRoot } from './path-in-root.js';

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
    else if (m.type === 'image') imageMount(sys, root, m);
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

/**
 * An image's filesystem, read-only: its layers as an overlay without upper dir (one layer: a read-only bind of it,
 * none: an empty read-only tmpfs); a subpath then covers the target with that directory of the image.
 */
function imageMount(sys: Syscalls, root: string, m: Extract<MountSpec, { type: 'image' }>): void {
  const target = ensureTarget(sys, root, m.target, 'dir');
  const [only] = m.lowerDirs;
  if (m.lowerDirs.length === 0) {
    sys.mount('tmpfs', target, 'tmpfs', MS.RDONLY | MS.NOSUID | MS.NODEV, 'size=4k,mode=755');
  } else if (m.lowerDirs.length === 1 && only !== undefined) {
    sys.mount(only, target, null, MS.BIND, null);
    sys.mount(null, target, null, MS.REMOUNT | MS.BIND | MS.RDONLY, null);
  } else {
    // overlay stacks lowerdirs top first; the spec lists them lowest first. Without upperdir it is read-only.
    sys.mount('overlay', target, 'overlay', MS.RDONLY, `lowerdir=${[...m.lowerDirs].reverse().join(':')}`);
  }
  if (m.subpath !== undefined) {
    if (m.subpath.split('/').includes('..')) throw new Error(`image mount subpath must not contain "..": ${m.subpath}`);
    // symlinks in the image resolve inside the image, never out of it
    const source = resolveInRoot(sys, target, m.subpath);
    const kind = sys.kindOf(source);
    if (kind === undefined) throw new Error(`image mount subpath does not exist in the image: ${m.subpath}`);
    if (kind !== 'dir') throw new Error(`image mount subpath is not a directory: ${m.subpath}`);
    sys.mount(source, target, null, MS.BIND, null);
    sys.mount(null, target, null, MS.REMOUNT | MS.BIND | MS.RDONLY, null);
  }
  sys.mount(null, target, null, MS.PRIVATE, null);
}
