/**
 * /sys/fs/cgroup inside the container, as Docker gives it (read-only unless privileged). With the cgroup
 * namespace, each hierarchy mounted here shows the container's own cgroup as its root.
 */
import type { Syscalls } from '../syscalls.js';
import { MS } from '../linux.js';
import { mkdirInRoot } from './path-in-root.js';

/** The hierarchies we are in: 'v2' (unified only) or the v1 controller lists ("cpu,cpuacct", "name=systemd"). */
export type CgroupLayout = { version: 2 } | { version: 1; hierarchies: string[] };

/** From the content of /proc/self/cgroup (read before unsharing the cgroup namespace). */
export function cgroupLayoutOf(procSelfCgroup: string): CgroupLayout {
  const lines = procSelfCgroup.split('\n').filter(Boolean).map((l) => l.split(':'));
  const v1 = lines.filter((f) => f[0] !== '0' && f[1]).map((f) => f[1]!);
  return v1.length === 0 ? { version: 2 } : { version: 1, hierarchies: v1 };
}

export function mountCgroupFs(sys: Syscalls, root: string, layout: CgroupLayout, readOnly: boolean): void {
  const flags = MS.NOSUID | MS.NODEV | MS.NOEXEC | (readOnly ? MS.RDONLY : 0);
  const base = mkdirInRoot(sys, root, '/sys/fs/cgroup');
  if (layout.version === 2) {
    sys.mount('cgroup2', base, 'cgroup2', flags, null);
    return;
  }
  sys.mount('tmpfs', base, 'tmpfs', MS.NOSUID | MS.NODEV | MS.NOEXEC, 'mode=755');
  for (const controllers of layout.hierarchies) {
    const named = controllers.startsWith('name=');
    const dir = `${base}/${named ? controllers.slice('name='.length) : controllers}`;
    sys.mkdir(dir, 0o755);
    sys.mount('cgroup', dir, 'cgroup', flags, named ? `none,${controllers}` : controllers);
  }
  if (readOnly) sys.mount(null, base, null, MS.REMOUNT | MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.RDONLY, 'mode=755');
}
