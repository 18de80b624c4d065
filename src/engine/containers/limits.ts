import type { CgroupLimits } from '../../runtime/cgroups/index.js';
import type { HostConfig } from '../api/docker-types.js';

const DEFAULT_PERIOD_US = 100_000;

/** Docker's HostConfig resource fields as cgroup limits (NanoCpus wins over CpuQuota/CpuPeriod, as in Docker). */
export function cgroupLimitsOf(host: HostConfig): CgroupLimits {
  const limits: CgroupLimits = {};
  if (host.Memory) limits.memoryBytes = host.Memory;
  if (host.MemoryReservation) limits.memoryReservationBytes = host.MemoryReservation;
  if (host.MemorySwap) limits.memorySwapBytes = host.MemorySwap;
  if (host.NanoCpus) limits.cpuQuota = { quotaUs: Math.round((host.NanoCpus / 1e9) * DEFAULT_PERIOD_US), periodUs: DEFAULT_PERIOD_US };
  else if (host.CpuQuota) limits.cpuQuota = { quotaUs: host.CpuQuota, periodUs: host.CpuPeriod || DEFAULT_PERIOD_US };
  if (host.CpuShares) limits.cpuShares = host.CpuShares;
  if (host.CpusetCpus) limits.cpusetCpus = host.CpusetCpus;
  if (host.PidsLimit) limits.pidsMax = host.PidsLimit;
  return limits;
}
