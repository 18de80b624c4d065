/** cgroup v2 cpu controller: cpu.max (quota and period in one file), cpu.weight, usage and throttling. */
import { readKeyed, writeValue } from '../fs.js';
import { sharesToWeight } from '../limits.js';
import type { CgroupLimits, CgroupStats } from '../types.js';

export function applyCpuV2(dir: string, { cpuQuota, cpuShares }: CgroupLimits): void {
  if (cpuShares) writeValue(dir, 'cpu.weight', sharesToWeight(cpuShares)); // 0 = unset
  if (cpuQuota) writeValue(dir, 'cpu.max', `${cpuQuota.quotaUs > 0 ? cpuQuota.quotaUs : 'max'} ${cpuQuota.periodUs}`);
}

/** cpu.stat's usage_usec is there even without the cpu controller; nr_throttled only with it. */
export function cpuStatsV2(dir: string): CgroupStats['cpu'] {
  const stat = readKeyed(dir, 'cpu.stat');
  return { usageNanos: (stat.get('usage_usec') ?? 0) * 1000, throttledPeriods: stat.get('nr_throttled') ?? 0 };
}
