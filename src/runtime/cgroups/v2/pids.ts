/** cgroup v2 pids controller. */
import { readNumber, writeValue } from '../fs.js';
import type { CgroupLimits, CgroupStats } from '../types.js';

export function applyPidsV2(dir: string, { pidsMax }: CgroupLimits): void {
  if (pidsMax !== undefined) writeValue(dir, 'pids.max', pidsMax > 0 ? pidsMax : 'max');
}

export function pidsStatsV2(dir: string): CgroupStats['pids'] {
  return { current: readNumber(dir, 'pids.current') ?? 0, limit: readNumber(dir, 'pids.max') };
}
