/**
 * The image's filesystem as overlayfs would show it, read straight from its layer snapshots (topmost first):
 * a whiteout (char device 0:0) hides a name below it, an opaque directory (`trusted.overlay.opaque=y`) hides the
 * content of the same directory in the layers below, and a non-directory hides everything below it.
 */
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { posix } from 'node:path';
import { lgetxattr } from '../runtime/syscalls.js';

/** The xattr src/image/layer-unpack.ts sets on opaque directories. */
const OPAQUE_XATTR = 'trusted.overlay.opaque';

const MAX_SYMLINKS = 40;

/** One path of the merged view: a directory spans several layers, anything else comes from one. */
export type MergedEntry =
  | { kind: 'directory'; hostPaths: string[]; stat: Stats } // topmost first; `stat` of the topmost
  | { kind: 'other'; hostPath: string; stat: Stats };

export class ImageTree {
  private constructor(private readonly layers: string[]) {}

  /** `lowerDirs` lowest first, as the image store gives them (short links are resolved once here). */
  static async open(lowerDirs: string[]): Promise<ImageTree> {
    const real = await Promise.all([...lowerDirs].reverse().map((dir) => realpath(dir)));
    return new ImageTree(real);
  }

  /** Layers given topmost first and used as they are: `/proc/<pid>/root` must stay a magic link, not be resolved. */
  static fromTopmost(layers: string[]): ImageTree {
    return new ImageTree([...layers]);
  }

  /** The entry at `path` (absolute inside the image), symlinks in its parents followed within the image. */
  async lookup(path: string, followLast = true): Promise<{ path: string; entry: MergedEntry } | undefined> {
    let todo = splitPath(path);
    const done: string[] = [];
    let links = 0;
    let entry: MergedEntry | undefined = await this.entryOf('/');
    while (todo.length > 0 && entry) {
      const part = todo.shift()!;
      if (part === '..') {
        done.pop();
        entry = await this.entryOf(`/${done.join('/')}`);
        continue;
      }
      const candidate = `/${[...done, part].join('/')}`;
      const next = await this.entryOf(candidate);
      const isLast = todo.length === 0;
      if (next?.kind === 'other' && next.stat.isSymbolicLink() && (!isLast || followLast)) {
        if (++links > MAX_SYMLINKS) return undefined;
        const target = await readlink(next.hostPath);
        if (target.startsWith('/')) done.length = 0;
        todo = [...splitPath(target), ...todo];
        entry = await this.entryOf(`/${done.join('/')}`);
        continue;
      }
      done.push(part);
      entry = next;
    }
    return entry ? { path: `/${done.join('/')}`, entry } : undefined;
  }

  /** The names in a merged directory, each with its entry (hidden names left out). */
  async children(dir: string, entry: MergedEntry & { kind: 'directory' }): Promise<Array<{ name: string; entry: MergedEntry }>> {
    const names = new Set<string>();
    for (const hostPath of entry.hostPaths) for (const name of await readdir(hostPath)) names.add(name);
    const out: Array<{ name: string; entry: MergedEntry }> = [];
    for (const name of [...names].sort()) {
      const child = await this.entryIn(entry.hostPaths, name);
      if (child) out.push({ name, entry: child });
    }
    return out;
  }

  private async entryOf(path: string): Promise<MergedEntry | undefined> {
    if (path === '/') return this.layers.length ? this.mergeDirectories(this.layers) : undefined;
    // `lookup` has resolved the symlinks of the parents already: they are plain directories here
    const parent = await this.entryOf(posix.dirname(path));
    if (parent?.kind !== 'directory') return undefined;
    return this.entryIn(parent.hostPaths, posix.basename(path));
  }

  /** `name` inside a merged directory whose layers are `parents` (topmost first). */
  private async entryIn(parents: string[], name: string): Promise<MergedEntry | undefined> {
    const dirs: string[] = [];
    for (const parent of parents) {
      const hostPath = posix.join(parent, name);
      const st = await lstat(hostPath).catch(() => undefined);
      if (!st) continue;
      if (isWhiteout(st)) break;
      if (!st.isDirectory()) {
        if (dirs.length === 0) return { kind: 'other', hostPath, stat: st };
        break;
      }
      dirs.push(hostPath);
      if (isOpaque(hostPath)) break;
    }
    return dirs.length ? this.mergeDirectories(dirs) : undefined;
  }

  private async mergeDirectories(hostPaths: string[]): Promise<MergedEntry> {
    return { kind: 'directory', hostPaths, stat: await lstat(hostPaths[0]!) };
  }
}

function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

function isOpaque(hostPath: string): boolean {
  return lgetxattr(hostPath, OPAQUE_XATTR)?.toString() === 'y';
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}
