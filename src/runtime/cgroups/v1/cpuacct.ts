/** cgroup v1 cpuacct controller: CPU time used (a hierarchy of its own, or co-mounted with cpu). */
import { readNumber } from '../fs.js';

export function cpuUsageNanos(dir: string): number {
  return readNumber(dir, 'cpuacct.usage') ?? 0;
}
