/** cgroup v2 cgroup.kill (Linux 5.14+): SIGKILL to the whole subtree at once, forks included. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeValue } from '../fs.js';

export function canKillAll(dir: string): boolean {
  return existsSync(join(dir, 'cgroup.kill'));
}

export function killAllV2(dir: string): void {
  writeValue(dir, 'cgroup.kill', 1);
}
