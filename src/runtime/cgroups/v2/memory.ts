/** cgroup v2 memory controller: memory.max, memory.low (reservation), memory.swap.max, OOM kills, usage. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyed, readNumber, writeValue } from '../fs.js';
import { swapMaxV2 } from '../limits.js';
import type { CgroupLimits, CgroupStats } from '../types.js';

const SWAP_MAX = 'memory.swap.max'; // absent without swap accounting

export function applyMemoryV2(dir: string, limits: CgroupLimits): void {
  const { memoryBytes, memoryReservationBytes, memorySwapBytes } = limits;
  if (memoryReservationBytes !== undefined) writeValue(dir, 'memory.low', memoryReservationBytes);
  if (memoryBytes) writeValue(dir, 'memory.max', memoryBytes === -1 ? 'max' : memoryBytes); // 0 = unset
  // Lifting the memory limit lifts swap too, as on v1.
  const swap = memorySwapBytes || (memoryBytes === -1 ? -1 : undefined);
  if (swap !== undefined && existsSync(join(dir, SWAP_MAX))) writeValue(dir, SWAP_MAX, swapMaxV2(memoryBytes, swap));
}

/** memory.events counts OOM kills in this cgroup and below. */
export function memoryOomKilledV2(dir: string): boolean {
  return (readKeyed(dir, 'memory.events').get('oom_kill') ?? 0) > 0;
}

export function memoryStatsV2(dir: string): CgroupStats['memory'] {
  return { usageBytes: readNumber(dir, 'memory.current') ?? 0, limitBytes: readNumber(dir, 'memory.max') };
}
