/** cgroup v1: each controller is a hierarchy of its own at <root>/<controller>. */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { V1_CONTROLLERS, type V1ControllerName } from '../detect.js';
import { checkSegments, childDirs, isDir, removeDirIfEmpty } from '../fs.js';
import type { CgroupDriver, ContainerCgroup } from '../types.js';
import { V1Cgroup } from './container.js';

export class V1Driver implements CgroupDriver {
  readonly version = 'v1';
  /** Mount point of each controller this host has. */
  private readonly mounts = new Map<V1ControllerName, string>();

  constructor(
    root: string,
    private readonly parent: string,
  ) {
    for (const name of V1_CONTROLLERS) {
      // Resolved, so that co-mounted hierarchies (cpu -> cpu,cpuacct) compare equal.
      if (isDir(join(root, name))) this.mounts.set(name, realpathSync(join(root, name)));
    }
  }

  container(id: string): ContainerCgroup {
    checkSegments(id, 'container id');
    return new V1Cgroup(id, this.mounts, this.parent);
  }

  /** Union over hierarchies: a crash between two mkdirs leaves a container in some of them only. */
  listContainerIds(): string[] {
    const ids = new Set([...this.mounts.values()].flatMap((mount) => childDirs(join(mount, this.parent))));
    return [...ids].sort();
  }

  /** Only the parent's last level is ours to remove (a parent such as "system.slice/tscompose" shares the first). */
  removeParentIfEmpty(): void {
    for (const mount of this.mounts.values()) removeDirIfEmpty(join(mount, this.parent));
  }
}
