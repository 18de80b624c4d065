/** Pure conversions and checks of limit values, shared by both backends. */
import { UserError } from '../../errors.js';
import type { CgroupLimits } from './types.js';

/** The CFS period Docker uses for `--cpus`. */
export const DEFAULT_CPU_PERIOD_US = 100_000;

/** `cpus: 1.5` → 150000 µs of CPU time per 100000 µs period; "0" means no limit (quotaUs -1). */
export function parseCpus(value: string | number): { quotaUs: number; periodUs: number } {
  const text = String(value).trim();
  const cpus = /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(cpus)) throw new UserError(`invalid cpus value ${JSON.stringify(value)}: expected a non-negative number`);
  // Docker counts in nano-CPUs and refuses anything finer.
  const nanoCpus = Math.round(cpus * 1e9);
  if (Math.abs(cpus * 1e9 - nanoCpus) > 1e-3) throw new UserError(`invalid cpus value ${text}: value is too precise`);
  if (nanoCpus === 0) return { quotaUs: -1, periodUs: DEFAULT_CPU_PERIOD_US };
  const quotaUs = Math.round((nanoCpus * DEFAULT_CPU_PERIOD_US) / 1e9);
  if (quotaUs < 1000) throw new UserError(`invalid cpus value ${text}: the minimum is 0.01`);
  return { quotaUs, periodUs: DEFAULT_CPU_PERIOD_US };
}

const MIN_SHARES = 2;
const MAX_SHARES = 262_144;

/**
 * cgroup v1 cpu.shares [2, 262144] (default 1024) → cgroup v2 cpu.weight [1, 10000] (default 100), 0 = unset.
 * Current runc/crun use a curve through log2(shares) so that the defaults map onto each other
 * (2 → 1, 1024 → 100, 262144 → 10000): weight = ceil(10^((L² + 125·L)/612 − 7/34)), L = log2(shares).
 */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  const clamped = Math.min(Math.max(shares, MIN_SHARES), MAX_SHARES);
  const l = Math.log2(clamped);
  const exponent = (l * l + 125 * l) / 612 - 7 / 34;
  // Rounding noise must not push an exact power of ten (1024 → 100.0000000001) to the next integer.
  const weight = Math.ceil(Number(Math.pow(10, exponent).toFixed(6)));
  return Math.min(Math.max(weight, 1), 10_000);
}

/** Docker's memswap (memory + swap) → cgroup v2 memory.swap.max (swap alone). */
export function swapMaxV2(memoryBytes: number | undefined, memorySwapBytes: number): string {
  if (memorySwapBytes === -1) return 'max';
  if (memoryBytes === undefined || memoryBytes <= 0) {
    throw new UserError('a memory swap limit needs a memory limit too (memswap_limit without mem_limit)');
  }
  return String(memorySwapBytes - memoryBytes);
}

/** Docker refuses memory limits below 6 MiB: the container could not even start. */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

/** Rejects values no kernel would accept, with the message a user can act on. */
export function checkLimits(limits: CgroupLimits): void {
  const { memoryBytes, memoryReservationBytes, memorySwapBytes } = limits;
  checkInteger('memory limit', memoryBytes, -1);
  checkInteger('memory reservation', memoryReservationBytes, 0);
  checkInteger('memory swap limit', memorySwapBytes, -1);
  if (memoryBytes !== undefined && memoryBytes > 0 && memoryBytes < MIN_MEMORY_BYTES) {
    throw new UserError('minimum memory limit allowed is 6MB');
  }
  if (memoryBytes && memoryBytes > 0 && memoryReservationBytes && memoryReservationBytes > memoryBytes) {
    throw new UserError('minimum memory limit can not be less than memory reservation limit');
  }
  if (memoryBytes && memoryBytes > 0 && memorySwapBytes && memorySwapBytes > 0 && memorySwapBytes < memoryBytes) {
    throw new UserError('minimum memoryswap limit should be larger than memory limit');
  }
  checkCpu(limits);
  checkInteger('pids limit', limits.pidsMax, -Infinity);
}

function checkCpu({ cpuQuota, cpuShares, cpusetCpus }: CgroupLimits): void {
  if (cpuQuota) {
    const { quotaUs, periodUs } = cpuQuota;
    checkInteger('cpu period', periodUs, 1000);
    checkInteger('cpu quota', quotaUs, -Infinity);
    if (periodUs > 1_000_000) throw new UserError('cpu period must be between 1000 and 1000000 microseconds');
    if (quotaUs > 0 && quotaUs < 1000) throw new UserError('cpu quota must be at least 1000 microseconds');
  }
  checkInteger('cpu shares', cpuShares, 0);
  if (cpusetCpus !== undefined && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(cpusetCpus)) {
    throw new UserError(`invalid cpuset ${JSON.stringify(cpusetCpus)}: expected a list such as 0-2,4`);
  }
}

function checkInteger(what: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min) throw new UserError(`invalid ${what}: ${value}`);
}

/** The controllers the given limits need, each with the limit that needs it (for the error message). */
export function neededControllers(limits: CgroupLimits): Map<'memory' | 'cpu' | 'cpuset' | 'pids', string> {
  const needed = new Map<'memory' | 'cpu' | 'cpuset' | 'pids', string>();
  if (limits.memoryBytes || limits.memoryReservationBytes || limits.memorySwapBytes) needed.set('memory', 'a memory limit');
  if (limits.cpuQuota || limits.cpuShares) needed.set('cpu', 'a cpu limit');
  if (limits.cpusetCpus !== undefined) needed.set('cpuset', 'cpuset');
  if (limits.pidsMax !== undefined && limits.pidsMax > 0) needed.set('pids', 'a pids limit');
  return needed;
}

/** UserError when a limit needs a controller this host (or this cgroup) does not offer. */
export function requireControllers(limits: CgroupLimits, available: (name: string) => boolean): void {
  for (const [controller, what] of neededControllers(limits)) {
    if (!available(controller)) {
      throw new UserError(`${what} needs the ${controller} cgroup controller, which is not available on this host`);
    }
  }
}
