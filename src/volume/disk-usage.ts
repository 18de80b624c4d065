/** Bytes in a directory tree (file sizes, each inode once), read asynchronously so a big volume never blocks. */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function directorySize(dir: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (path: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(path);
    } catch {
      return;
    }
    for (const name of names) {
      const child = join(path, name);
      const st = await lstat(child).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) await walk(child);
      else if (!seen.has(`${st.dev}:${st.ino}`)) {
        seen.add(`${st.dev}:${st.ino}`);
        total += st.size;
      }
    }
  };
  await walk(dir);
  return total;
}

export async function isEmptyDirectory(dir: string): Promise<boolean> {
  return (await readdir(dir)).length === 0;
}
