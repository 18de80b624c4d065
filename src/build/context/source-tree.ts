/**
 * Where COPY/ADD take files from: the build context (a host directory seen through `.dockerignore`: what it
 * ignores is invisible, as if it had never been sent) or an image's merged filesystem (`--from`).
 * Paths inside a tree are absolute (`/` is its root); `..` never leaves the root and symlinks are followed
 * inside it (an absolute target starts again at the tree's root), as Docker resolves sources.
 */
import { lstat, readdir, readlink, stat as statFollow } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { TarTree, TreeEntry } from '../../engine/archive/tar-stream.js';
import { ImageTree } from '../../volume/image-tree.js';
import type { IgnoreMatcher } from './dockerignore.js';

export type DirectoryEntry = TreeEntry & { kind: 'directory' };

export interface SourceChild {
  name: string;
  entry: TreeEntry;
}

export interface SourceTree extends TarTree {
  readonly kind: 'context' | 'image';
  /**
   * The entry at `path` (relative or absolute, both from the tree's root; `..` stops at the root), with the
   * symlinks of its parents followed inside the tree, the last one too unless `followLast` is false.
   * `path` in the answer is where it really is (absolute, symlinks resolved). Undefined when missing or ignored.
   */
  lookup(path: string, followLast?: boolean): Promise<{ path: string; entry: TreeEntry } | undefined>;
  /** The visible names of a directory, sorted (`path` is the directory's resolved path, as `lookup` gives). */
  children(path: string, entry: DirectoryEntry): Promise<SourceChild[]>;
}

const MAX_SYMLINKS = 40;

/** `path` made absolute inside a tree: `a/../b`, `./b` and `/b` are all `/b`, `../../b` is `/b` too. */
export function treePath(path: string): string {
  return posix.normalize(posix.join('/', path)).replace(/(.)\/$/, '$1');
}

/** The build context `contextDir`, without what `ignore` leaves out. */
export function contextSourceTree(contextDir: string, ignore: IgnoreMatcher): SourceTree {
  return new ContextTree(contextDir, ignore);
}

/** An image's merged filesystem (`lowerDirs` lowest first, as the image store gives them). */
export async function imageSourceTree(lowerDirs: string[]): Promise<SourceTree> {
  const image = await ImageTree.open(lowerDirs);
  return {
    kind: 'image',
    async lookup(path, followLast = true) {
      return image.lookup(treePath(path), followLast);
    },
    async children(path, entry) {
      return image.children(path, entry);
    },
  };
}

class ContextTree implements SourceTree {
  readonly kind = 'context';
  /** Ignored directories that hold something included again (`dir` ignored, `!dir/keep`): relative path -> answer. */
  private readonly holdsIncluded = new Map<string, Promise<boolean>>();

  constructor(
    private readonly root: string,
    private readonly ignore: IgnoreMatcher,
  ) {}

  async lookup(path: string, followLast = true): Promise<{ path: string; entry: TreeEntry } | undefined> {
    let todo = split(treePath(path));
    const done: string[] = [];
    let links = 0;
    let entry: TreeEntry | undefined = await this.entryAt([]);
    while (todo.length > 0 && entry) {
      const part = todo.shift()!;
      if (part === '..') {
        done.pop();
        entry = await this.entryAt(done);
        continue;
      }
      const next = await this.entryAt([...done, part]);
      if (next?.kind === 'other' && next.stat.isSymbolicLink() && (todo.length > 0 || followLast)) {
        if (++links > MAX_SYMLINKS) return undefined;
        const target = await readlink(next.hostPath);
        if (target.startsWith('/')) done.length = 0;
        todo = [...split(target), ...todo];
        entry = await this.entryAt(done);
        continue;
      }
      if (next?.kind !== 'directory' && todo.length > 0) return undefined;
      done.push(part);
      entry = next;
    }
    return entry ? { path: `/${done.join('/')}`, entry } : undefined;
  }

  async children(path: string, entry: DirectoryEntry): Promise<SourceChild[]> {
    const dir = entry.hostPaths[0]!;
    const rel = path.replace(/^\/+/, '');
    const names = (await readdir(dir)).sort();
    const out = await Promise.all(
      names.map(async (name) => {
        const childRel = rel ? `${rel}/${name}` : name;
        const child = await this.visibleEntry(childRel, join(dir, name));
        return child ? { name, entry: child } : undefined;
      }),
    );
    return out.filter((c): c is SourceChild => c !== undefined);
  }

  /** The entry at the relative parts, undefined when missing or ignored. */
  private async entryAt(parts: string[]): Promise<TreeEntry | undefined> {
    if (parts.length === 0) return entryOf(this.root, true);
    const rel = parts.join('/');
    return this.visibleEntry(rel, join(this.root, ...parts));
  }

  private async visibleEntry(rel: string, hostPath: string): Promise<TreeEntry | undefined> {
    const ignored = this.ignore.ignores(rel);
    if (ignored && !this.ignore.mayIncludeBelow(rel)) return undefined;
    const entry = await entryOf(hostPath);
    if (!entry || !ignored) return entry;
    // An ignored directory is still there when something below it is included again.
    return entry.kind === 'directory' && (await this.includesSomething(rel, entry)) ? entry : undefined;
  }

  private includesSomething(rel: string, entry: DirectoryEntry): Promise<boolean> {
    let answer = this.holdsIncluded.get(rel);
    if (!answer) {
      answer = this.children(`/${rel}`, entry).then((children) => children.length > 0);
      this.holdsIncluded.set(rel, answer);
    }
    return answer;
  }
}

/** The host entry (`follow`: the context directory itself may be a symlink to one). */
async function entryOf(hostPath: string, follow = false): Promise<TreeEntry | undefined> {
  const stat = await (follow ? statFollow(hostPath) : lstat(hostPath)).catch(() => undefined);
  if (!stat) return undefined;
  return stat.isDirectory() ? { kind: 'directory', hostPaths: [hostPath], stat } : { kind: 'other', hostPath, stat };
}

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}
