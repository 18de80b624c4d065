/** cgroup v1 cpu controller: CFS bandwidth (quota/period), shares, throttling count. */
import { UserError } from '../../../errors.js';
import { readKeyed, writeValue } from '../fs.js';
import type { CgroupLimits } from '../types.js';

export function applyCpu(dir: string, { cpuQuota, cpuShares }: CgroupLimits): void {
  if (cpuShares) writeValue(dir, 'cpu.shares', cpuShares); // 0 = unset
  if (cpuQuota) writeBandwidth(dir, cpuQuota.quotaUs > 0 ? cpuQuota.quotaUs : -1, cpuQuota.periodUs);
}

/** The kernel checks each value against the other's current one: period first, or quota first if refused. */
function writeBandwidth(dir: string, quotaUs: number, periodUs: number): void {
  try {
    writeValue(dir, 'cpu.cfs_period_us', periodUs);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    writeValue(dir, 'cpu.cfs_quota_us', quotaUs);
    writeValue(dir, 'cpu.cfs_period_us', periodUs);
    return;
  }
  writeValue(dir, 'cpu.cfs_quota_us', quotaUs);
}

export function cpuThrottledPeriods(dir: string): number {
  return readKeyed(dir, 'cpu.stat').get('nr_throttled') ?? 0;
}
