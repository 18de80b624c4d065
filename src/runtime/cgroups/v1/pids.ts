/** cgroup v1 pids controller: the number of tasks (a fork bomb stops at the limit). */
import { readNumber, writeValue } from '../fs.js';
import type { CgroupLimits, CgroupStats } from '../types.js';

export function applyPids(dir: string, { pidsMax }: CgroupLimits): void {
  if (pidsMax !== undefined) writeValue(dir, 'pids.max', pidsMax > 0 ? pidsMax : 'max');
}

export function pidsStats(dir: string): CgroupStats['pids'] {
  return { current: readNumber(dir, 'pids.current') ?? 0, limit: readNumber(dir, 'pids.max') };
}
