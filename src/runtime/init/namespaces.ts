/** Step 1 of the init stage: the container's own mount, UTS, IPC, cgroup and network namespaces. */
import type { ContainerSpec } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import { CLONE } from '../linux.js';

/**
 * unshare after the engine placed us in our cgroups (so the cgroup namespace's root is our cgroup). The stage was
 * spawned in a network namespace of its own, already holding the interfaces the engine plugged in; it joins
 * another one only for `network_mode: host|container:` (netnsPath).
 */
export function enterNamespaces(sys: Syscalls, spec: ContainerSpec): void {
  sys.unshare(CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWCGROUP | (spec.ipcnsPath === undefined ? CLONE.NEWIPC : 0));
  if (spec.ipcnsPath !== undefined) joinNamespace(sys, spec.ipcnsPath, CLONE.NEWIPC); // ipc: host | container:X
  if (spec.netnsPath !== undefined) joinNamespace(sys, spec.netnsPath, CLONE.NEWNET);
  else sys.interfaceUp('lo');
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
