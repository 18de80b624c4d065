/** cgroup v2: one unified hierarchy at <root>. */
import { join } from 'node:path';
import { checkSegments, childDirs, removeDirIfEmpty } from '../fs.js';
import type { CgroupDriver, ContainerCgroup } from '../types.js';
import { V2Cgroup } from './container.js';

export class V2Driver implements CgroupDriver {
  readonly version = 'v2';

  constructor(
    private readonly root: string,
    private readonly parent: string,
  ) {}

  container(id: string): ContainerCgroup {
    checkSegments(id, 'container id');
    return new V2Cgroup(id, this.root, this.parent);
  }

  listContainerIds(): string[] {
    return childDirs(join(this.root, this.parent)).sort();
  }

  /** Only the parent's last level is ours to remove. */
  removeParentIfEmpty(): void {
    removeDirIfEmpty(join(this.root, this.parent));
  }
}
