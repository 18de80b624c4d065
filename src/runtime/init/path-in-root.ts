/**
 * Paths inside the container's root, resolved on the host side before pivot_root: symlinks in the image are
 * followed as the container would see them, and can never lead out of the root (an image's `/etc -> /`
 * must not make us mount over the host's files).
 */
import { posix } from 'node:path';
import type { Syscalls } from '../syscalls.js';

const MAX_SYMLINKS = 40;

/** The host path of `path` as seen inside `root`, symlinks resolved within root; missing tails kept literally. */
export function resolveInRoot(sys: Syscalls, root: string, path: string): string {
  let todo = splitPath(path);
  const done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = posix.join(root, ...done, part);
    if (sys.kindOf(host) !== 'symlink') {
      done.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new Error(`too many levels of symbolic links in ${path}`);
    const target = sys.readlink(host);
    if (target.startsWith('/')) done.length = 0;
    todo = [...splitPath(target), ...todo];
  }
  return posix.join(root, ...done);
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

/** mkdir -p of `path` inside root (each component resolved inside root); returns the host path. */
export function mkdirInRoot(sys: Syscalls, root: string, path: string, mode = 0o755): string {
  let current = '/';
  for (const part of splitPath(path)) {
    current = posix.join(current, part);
    const host = resolveInRoot(sys, root, current);
    const kind = sys.kindOf(host);
    if (kind === undefined) sys.mkdir(host, mode);
    else if (kind !== 'dir') throw new Error(`mkdir ${path}: ${current} is not a directory`);
  }
  return resolveInRoot(sys, root, path);
}

/** Makes sure a mount target exists inside root, as a directory or an empty file; returns the host path. */
export function ensureTarget(sys: Syscalls, root: string, path: string, kind: 'dir' | 'file'): string {
  if (kind === 'dir') return mkdirInRoot(sys, root, path);
  mkdirInRoot(sys, root, posix.dirname(path));
  const host = resolveInRoot(sys, root, path);
  if (sys.kindOf(host) === undefined) sys.writeFile(host, '');
  return host;
}
