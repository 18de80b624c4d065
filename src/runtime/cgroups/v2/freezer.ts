/** cgroup v2 freezer (core, no controller to enable): cgroup.freeze, with the outcome in cgroup.events. */
import { readKeyed, waitUntil, writeValue } from '../fs.js';

function frozen(dir: string): boolean {
  return readKeyed(dir, 'cgroup.events').get('frozen') === 1;
}

export async function freezeV2(dir: string, timeoutMs: number): Promise<void> {
  writeValue(dir, 'cgroup.freeze', 1);
  try {
    await waitUntil(() => frozen(dir), `${dir} to freeze`, timeoutMs);
  } catch (e) {
    writeValue(dir, 'cgroup.freeze', 0); // never leave a container half frozen
    throw e;
  }
}

export async function thawV2(dir: string, timeoutMs: number): Promise<void> {
  writeValue(dir, 'cgroup.freeze', 0);
  await waitUntil(() => !frozen(dir), `${dir} to thaw`, timeoutMs);
}
