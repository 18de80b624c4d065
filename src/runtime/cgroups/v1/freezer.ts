/** cgroup v1 freezer: pause/unpause, and a still world for kill-all. */
import { readText, waitUntil, writeValue } from '../fs.js';

const STATE = 'freezer.state';

/** Rewriting FROZEN retries tasks that were busy on the previous attempt; FREEZING means not done yet. */
export async function freezeV1(dir: string, timeoutMs: number): Promise<void> {
  const attempt = (): boolean => {
    writeValue(dir, STATE, 'FROZEN');
    return readText(dir, STATE) === 'FROZEN';
  };
  try {
    await waitUntil(attempt, `${dir} to freeze`, timeoutMs);
  } catch (e) {
    writeValue(dir, STATE, 'THAWED'); // never leave a container half frozen
    throw e;
  }
}

export async function thawV1(dir: string, timeoutMs: number): Promise<void> {
  writeValue(dir, STATE, 'THAWED');
  await waitUntil(() => readText(dir, STATE) === 'THAWED', `${dir} to thaw`, timeoutMs);
}
