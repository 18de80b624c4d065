/** /proc, /dev (tmpfs + device nodes + devpts, shm, mqueue) and /sys below the new root. */
import type { Syscalls } from '../syscalls.js';
import { DEFAULT_DEVICES, DEFAULT_DEV_SYMLINKS, PROC_MOUNT, standardMounts, type StandardMount } from '../defaults.js';
import { S_IFCHR } from '../linux.js';
import { mkdirInRoot, resolveInRoot } from './path-in-root.js';

function mountStandard(sys: Syscalls, root: string, m: StandardMount): void {
  const target = mkdirInRoot(sys, root, m.target);
  sys.mount(m.source, target, m.fstype, m.flags, m.data);
}

/** proc from inside the PID namespace: the container sees its own processes only. */
export function mountProc(sys: Syscalls, root: string): void {
  mountStandard(sys, root, PROC_MOUNT);
}

/** /dev and /sys; sysfs must come after the network namespace is final (it shows that namespace's devices). */
export function mountDevAndSys(sys: Syscalls, root: string, opts: { readOnlySys: boolean }): void {
  const [dev, ...rest] = standardMounts(opts);
  mountStandard(sys, root, dev!);
  createDeviceNodes(sys, root);
  for (const m of rest) mountStandard(sys, root, m);
}

function createDeviceNodes(sys: Syscalls, root: string): void {
  for (const d of DEFAULT_DEVICES) {
    const path = resolveInRoot(sys, root, d.path);
    sys.mknod(path, S_IFCHR | 0o666, d.major, d.minor);
    sys.chmod(path, 0o666); // mknod's mode is filtered by the umask
  }
  for (const l of DEFAULT_DEV_SYMLINKS) sys.symlink(l.target, resolveInRoot(sys, root, l.path));
}
