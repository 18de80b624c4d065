import { dirname, join } from 'node:path';
import type { ContainerRecord } from './record.js';

/** Where a container's files live, all inside its own folder under the state root (so `rm` removes all of it). */
export interface ContainerPaths {
  folder: string;
  upperDir: string;
  workDir: string;
  rootfs: string; // the overlay mount point (mounted only inside the container's mount namespace)
  hostsFile: string;
  hostnameFile: string;
  resolvConfFile: string;
}

export function containerPaths(record: ContainerRecord): ContainerPaths {
  const folder = dirname(record.logPath);
  return {
    folder,
    upperDir: join(folder, 'upper'),
    workDir: join(folder, 'work'),
    rootfs: join(folder, 'rootfs'),
    hostsFile: join(folder, 'hosts'),
    hostnameFile: join(folder, 'hostname'),
    resolvConfFile: join(folder, 'resolv.conf'),
  };
}
