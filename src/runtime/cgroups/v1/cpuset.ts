/** cgroup v1 cpuset controller: which CPUs the container may run on. */
import { readText, writeValue } from '../fs.js';
import type { CgroupLimits } from '../types.js';

/** A new v1 cpuset cgroup starts with no CPUs and no memory nodes, so no task could join: inherit the parent's. */
export function inheritCpuset(dir: string, parentDir: string): void {
  for (const file of ['cpuset.cpus', 'cpuset.mems']) {
    if ((readText(dir, file) ?? '') !== '') continue;
    const inherited = readText(parentDir, file) ?? '';
    if (inherited !== '') writeValue(dir, file, inherited);
  }
}

export function applyCpuset(dir: string, { cpusetCpus }: CgroupLimits): void {
  if (cpusetCpus !== undefined) writeValue(dir, 'cpuset.cpus', cpusetCpus);
}
