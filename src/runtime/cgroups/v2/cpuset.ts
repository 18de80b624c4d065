/** cgroup v2 cpuset controller (an empty cpuset.cpus inherits the parent's, unlike v1). */
import { writeValue } from '../fs.js';
import type { CgroupLimits } from '../types.js';

export function applyCpusetV2(dir: string, { cpusetCpus }: CgroupLimits): void {
  if (cpusetCpus !== undefined) writeValue(dir, 'cpuset.cpus', cpusetCpus);
}
