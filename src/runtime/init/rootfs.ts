/** The overlay root filesystem, mounted in the container's private mount namespace only. */
import type { RootfsSpec } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import { MS } from '../linux.js';

/** Makes every mount private (else pivot_root fails with EINVAL on shared mounts), then mounts the overlay. */
export function mountRootfs(sys: Syscalls, rootfs: RootfsSpec): string {
  sys.mount(null, '/', null, MS.REC | MS.PRIVATE, null);
  if (sys.kindOf(rootfs.mountPoint) === undefined) sys.mkdir(rootfs.mountPoint, 0o755);
  const lowers = rootfs.lowerDirs.length > 0 ? rootfs.lowerDirs : [emptyLower(sys, rootfs.mountPoint)];
  // overlay stacks lowerdirs top first; the spec lists them lowest first
  const data = `lowerdir=${[...lowers].reverse().join(':')},upperdir=${rootfs.upperDir},workdir=${rootfs.workDir}`;
  sys.mount('overlay', rootfs.mountPoint, 'overlay', 0, data);
  return rootfs.mountPoint;
}

/** An image without layers: an empty read-only tmpfs on the mount point serves as the lower dir, then the overlay covers it. */
function emptyLower(sys: Syscalls, mountPoint: string): string {
  sys.mount('tmpfs', mountPoint, 'tmpfs', MS.RDONLY, 'size=4k,mode=755');
  return mountPoint;
}

/** Makes `root` the container's `/` and detaches the host's tree from it. */
export function pivotInto(sys: Syscalls, root: string, readOnly: boolean): void {
  sys.chdir(root);
  sys.pivotRoot('.', '.');
  sys.umount2('.', 2 /* MNT_DETACH */);
  sys.chdir('/');
  if (readOnly) sys.mount(null, '/', null, MS.REMOUNT | MS.BIND | MS.RDONLY, null);
}
