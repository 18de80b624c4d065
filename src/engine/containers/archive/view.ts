/**
 * A container's filesystem as `cp` sees it: a running container through `/proc/<pid>/root` (its mounts
 * included), any other through its upper dir over its image layers. Paths are resolved inside that root.
 */
import { readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { ImageTree, type MergedEntry } from '../../../volume/image-tree.js';
import type { EngineContext } from '../../context.js';
import { containerPaths } from '../paths.js';
import type { ContainerRecord } from '../record.js';

export interface ContainerView {
  tree: ImageTree;
  /** Host directory standing for the container's `/` when writing: the live root, or the upper dir. */
  writeRoot: string;
  running: boolean;
}

export interface ResolvedPath {
  /** The path asked for, made absolute (a trailing `/` or `/.` kept: it decides the archive's root name). */
  absPath: string;
  /** Where it is in the container, symlinks resolved inside the root. */
  path: string;
  entry: MergedEntry;
}

export async function containerView(engine: EngineContext, record: ContainerRecord): Promise<ContainerView> {
  const pid = engine.running.get(record.id)?.process.pid;
  if (pid) {
    const root = `/proc/${pid}/root`;
    // the trailing slash: the root's own stat is the container's `/`, not the magic link's
    return { tree: ImageTree.fromTopmost([`${root}/`]), writeRoot: root, running: true };
  }
  const upperDir = containerPaths(record).upperDir;
  const lowerDirs = engine.images.lowerDirs(engine.images.get(record.imageId));
  return { tree: await ImageTree.open([...lowerDirs, upperDir]), writeRoot: upperDir, running: false };
}

/**
 * Docker's rule: the parents' symlinks are always followed (inside the root: `..` stops at `/`, an absolute
 * target starts again at the container's `/`); the last one only when the path ends with `/` or `/.`.
 */
export async function resolveContainerPath(view: ContainerView, path: string, followLast = endsWithSeparator(path)): Promise<ResolvedPath | undefined> {
  const absPath = absolutePath(path);
  const found = await view.tree.lookup(absPath, followLast);
  return found ? { absPath, path: found.path, entry: found.entry } : undefined;
}

/** Where a symlink points, resolved in the container (Docker's stat `linkTarget`); lexical when dangling. */
export async function linkTargetOf(view: ContainerView, resolved: ResolvedPath): Promise<string> {
  if (resolved.entry.kind !== 'other' || !resolved.entry.stat.isSymbolicLink()) return '';
  const followed = await view.tree.lookup(resolved.path, true);
  if (followed) return followed.path;
  return posix.resolve(posix.dirname(resolved.path), await readlink(resolved.entry.hostPath));
}

/** The archive's root name: the asked path's last part (`.` for `dir/.` and for `/`). */
export function archiveRootName(absPath: string): string {
  const base = posix.basename(absPath);
  return absPath.endsWith('/.') || base === '' ? '.' : base;
}

function endsWithSeparator(path: string): boolean {
  return path.endsWith('/') || path.endsWith('/.') || path === '.';
}

function absolutePath(path: string): string {
  const joined = posix.join('/', path);
  if (path.endsWith('/.') || path === '.') return joined === '/' ? '/.' : `${joined.replace(/\/$/, '')}/.`;
  return joined;
}
