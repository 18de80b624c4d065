/** Step 1 of the init stage: the container's own mount, UTS, IPC, cgroup and network namespaces. */
import type { ContainerSpec } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import { CLONE } from '../linux.js';

/** unshare after the engine placed us in our cgroups (so the cgroup namespace's root is our cgroup). */
export function enterNamespaces(sys: Syscalls, spec: ContainerSpec): void {
  const freshNet = !spec.hostNetwork && spec.netnsPath === undefined;
  sys.unshare(CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWCGROUP | (freshNet ? CLONE.NEWNET : 0));
  if (spec.netnsPath !== undefined && !spec.hostNetwork) joinNamespace(sys, spec.netnsPath, CLONE.NEWNET);
  if (freshNet) sys.interfaceUp('lo');
  sys.sethostname(spec.hostname);
  if (spec.domainname) sys.setdomainname(spec.domainname);
}

export function joinNamespace(sys: Syscalls, path: string, nstype: number): void {
  const fd = sys.open(path, 0);
  try {
    sys.setns(fd, nstype);
  } finally {
    sys.close(fd);
  }
}
