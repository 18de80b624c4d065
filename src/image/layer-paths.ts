/**
 * The rules every layer entry must pass before anything is written: a relative path with no "..", and no
 * write through a symlink that the same layer created (`link -> /etc` then `link/passwd`). Also tells
 * whiteouts (".wh.name": name deleted) and opaque markers (".wh..wh..opq": lower content of the dir hidden)
 * apart from ordinary entries.
 */
import { posix } from 'node:path';
import { UserError } from '../errors.js';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export type EntryRole =
  | { kind: 'normal' }
  | { kind: 'whiteout'; target: string } // the path the lower layers' entry is deleted at
  | { kind: 'opaque'; dir: string } // the directory whose lower content is hidden
  | { kind: 'ignored' }; // other ".wh..wh." metadata (aufs hard-link dirs): nothing to unpack

export function layerEntryError(entryPath: string, why: string): UserError {
  return new UserError(`invalid layer entry ${JSON.stringify(entryPath)}: ${why}`);
}

/** "./a//b/" → "a/b"; "./" → "" (the layer root). Throws a UserError naming the entry when it would escape. */
export function cleanEntryPath(raw: string): string {
  if (raw.startsWith('/')) throw layerEntryError(raw, 'absolute path');
  const parts = raw.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw layerEntryError(raw, "path contains '..'");
  return parts.join('/');
}

export function entryRole(cleanPath: string): EntryRole {
  const name = posix.basename(cleanPath);
  const dir = posix.dirname(cleanPath) === '.' ? '' : posix.dirname(cleanPath);
  if (!name.startsWith(WHITEOUT_PREFIX)) return { kind: 'normal' };
  if (name === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (name.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) return { kind: 'ignored' };
  const target = name.slice(WHITEOUT_PREFIX.length);
  return { kind: 'whiteout', target: dir === '' ? target : `${dir}/${target}` };
}

/** Every proper ancestor of a clean path: "a/b/c" → ["a", "a/b"]. */
function ancestors(cleanPath: string): string[] {
  const parts = cleanPath.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Tracks the symlinks one layer creates, in archive order, and refuses entries that would pass through them. */
export class SymlinkGuard {
  private readonly symlinks = new Set<string>();

  /** Call for each entry in order; `linkTarget` is a hard link's (clean) target. */
  check(rawPath: string, cleanPath: string, isSymlink: boolean, linkTarget?: string): void {
    for (const path of [cleanPath, linkTarget]) {
      if (path === undefined) continue;
      const through = ancestors(path).find((ancestor) => this.symlinks.has(ancestor));
      if (through !== undefined) throw layerEntryError(rawPath, `goes through the symbolic link ${JSON.stringify(through)}`);
    }
    if (isSymlink) this.symlinks.add(cleanPath);
    else this.symlinks.delete(cleanPath);
  }
}
