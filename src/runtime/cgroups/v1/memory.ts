/** cgroup v1 memory controller: hard limit, soft limit (reservation), memory+swap limit, OOM kills, usage. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyed, readNumber, writeValue } from '../fs.js';
import type { CgroupLimits, CgroupStats } from '../types.js';

const LIMIT = 'memory.limit_in_bytes';
const SWAP_LIMIT = 'memory.memsw.limit_in_bytes'; // only with swap accounting (swapaccount=1)

export function applyMemory(dir: string, limits: CgroupLimits): void {
  const { memoryReservationBytes } = limits;
  if (memoryReservationBytes !== undefined) {
    writeValue(dir, 'memory.soft_limit_in_bytes', memoryReservationBytes > 0 ? memoryReservationBytes : -1);
  }
  const memory = limits.memoryBytes || undefined; // 0 = unset
  let swap = limits.memorySwapBytes || undefined;
  if (memory === -1 && swap === undefined) swap = -1; // lifting the memory limit lifts memory+swap too
  if (!existsSync(join(dir, SWAP_LIMIT))) swap = undefined; // no swap accounting: Docker ignores it too
  writeMemoryAndSwap(dir, memory, swap);
}

/**
 * The kernel keeps memsw.limit >= limit at every moment. Writing memsw first is valid when it is not below
 * the current limit (growing); otherwise the memory limit goes first (shrinking).
 */
function writeMemoryAndSwap(dir: string, memory: number | undefined, swap: number | undefined): void {
  if (memory !== undefined && swap !== undefined) {
    const current = readNumber(dir, LIMIT); // undefined = unlimited
    if (swap === -1 || (current !== undefined && swap >= current)) {
      writeValue(dir, SWAP_LIMIT, swap);
      writeValue(dir, LIMIT, memory);
    } else {
      writeValue(dir, LIMIT, memory);
      writeValue(dir, SWAP_LIMIT, swap);
    }
    return;
  }
  if (memory !== undefined) writeValue(dir, LIMIT, memory);
  if (swap !== undefined) writeValue(dir, SWAP_LIMIT, swap);
}

/** memory.oom_control counts OOM kills (since Linux 4.13); memory.failcnt only counts hits of the limit. */
export function memoryOomKilled(dir: string): boolean {
  return (readKeyed(dir, 'memory.oom_control').get('oom_kill') ?? 0) > 0;
}

export function memoryStats(dir: string): CgroupStats['memory'] {
  return { usageBytes: readNumber(dir, 'memory.usage_in_bytes') ?? 0, limitBytes: readNumber(dir, LIMIT) };
}
