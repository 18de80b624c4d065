/** A host directory as a `TarTree` (the client side of `cp`): no layers, symlinks archived as they are. */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TarTree, TreeEntry } from './tar-stream.js';

export async function plainEntry(hostPath: string): Promise<TreeEntry> {
  const stat = await lstat(hostPath);
  return stat.isDirectory() ? { kind: 'directory', hostPaths: [hostPath], stat } : { kind: 'other', hostPath, stat };
}

export const plainTree: TarTree = {
  async children(_path, entry) {
    const dir = entry.hostPaths[0]!;
    const names = (await readdir(dir)).sort();
    return Promise.all(names.map(async (name) => ({ name, entry: await plainEntry(join(dir, name)) })));
  },
};
