/** Namespaced sysctls, then Docker's masked and read-only paths (after /proc and /sys are mounted). */
import type { Syscalls } from '../syscalls.js';
import { MS } from '../linux.js';
import { resolveInRoot } from './path-in-root.js';

/** Written through the container's /proc before /proc/sys becomes read-only. */
export function writeSysctls(sys: Syscalls, root: string, sysctls: Record<string, string>): void {
  for (const [key, value] of Object.entries(sysctls)) {
    sys.writeFile(resolveInRoot(sys, root, `/proc/sys/${key.replaceAll('.', '/')}`), value);
  }
}

/** Directories get an empty read-only tmpfs, files the null device; missing paths are skipped. */
export function maskPaths(sys: Syscalls, root: string, paths: string[]): void {
  for (const path of paths) {
    const host = resolveInRoot(sys, root, path);
    const kind = sys.kindOf(host);
    if (kind === 'dir') sys.mount('tmpfs', host, 'tmpfs', MS.RDONLY, null);
    else if (kind !== undefined) sys.mount(resolveInRoot(sys, root, '/dev/null'), host, null, MS.BIND, null);
  }
}

export function makeReadOnly(sys: Syscalls, root: string, paths: string[]): void {
  for (const path of paths) {
    const host = resolveInRoot(sys, root, path);
    if (sys.kindOf(host) === undefined) continue;
    sys.mount(host, host, null, MS.BIND | MS.REC, null);
    sys.mount(null, host, null, MS.REMOUNT | MS.BIND | MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC, null);
  }
}
