/**
 * Extracts a tar stream into a directory (the engine: a container directory; the client: `cp` to the host).
 * node-tar writes files, directories and hard links (it refuses `..`, absolute names and writing through
 * symlinks); symlinks and device nodes are made afterwards here, because node-tar checks symlink targets
 * against the *host's* filesystem, which says nothing about a container's.
 */
import { lstatSync, type Stats } from 'node:fs';
import { chmod, lchown, lstat, lutimes, mkdir, symlink, unlink, utimes } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { Unpack, type ReadEntry } from 'tar';
import { UserError } from '../../errors.js';

/** The archive cannot go where it was asked to (a 400 from the engine, a message from the CLI). */
export class ExtractRefusedError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ExtractRefusedError';
  }
}

export type NodeType = 'CharacterDevice' | 'BlockDevice' | 'FIFO';

export interface ExtractOptions {
  /** Docker's `noOverwriteDirNonDir`: refuse to replace a directory by a non-directory or the reverse. */
  noOverwriteDirNonDir: boolean;
  /** Makes device nodes and FIFOs (the engine's mknod); without it they are skipped. */
  mknod?: (path: string, type: NodeType, mode: number, major: number, minor: number) => void;
  /** Writing into an overlay upper dir: told of each directory that replaces a whiteout (to make it opaque). */
  onWhiteoutReplaced?: (path: string) => void;
  /** Renames entries as they come (`cp` to a new name). */
  rename?: (name: string) => string;
  /** How `dir` is named in messages (the container path); `/` when not given. */
  shownAs?: string;
}

/** An entry remembered for after node-tar: what we make ourselves, and attributes node-tar leaves inexact. */
interface Pending {
  path: string; // relative to the extraction directory, normalized
  type: string;
  linkpath: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: Date;
  devmaj: number;
  devmin: number;
}

interface ExtractState {
  special: Pending[];
  written: Pending[];
  replacedWhiteouts: string[];
  refused?: Error;
}

const SPECIAL = new Set(['SymbolicLink', 'CharacterDevice', 'BlockDevice', 'FIFO']);
const AS_ROOT = process.getuid?.() === 0;

export async function extractTar(body: Readable, dir: string, opts: ExtractOptions): Promise<void> {
  const state: ExtractState = { special: [], written: [], replacedWhiteouts: [] };
  const unpack = new Unpack({ cwd: dir, strict: true, preserveOwner: AS_ROOT, filter: (_p: string, entry: unknown) => admit(dir, entry as ReadEntry, opts, state) });
  let received = 0;
  body.on('data', (chunk: Buffer) => (received += chunk.length));
  await new Promise<void>((resolve, reject) => {
    unpack.on('close', () => resolve());
    unpack.on('error', (e: Error & { tarCode?: string }) => {
      // An empty body is an empty archive (as Docker's untar reads it), not a bad one.
      if (e.tarCode === 'TAR_BAD_ARCHIVE' && received === 0) return resolve();
      // node-tar's entry errors (a bad archive, writing through a symlink, a read-only mount) are the request's fault
      reject(e.tarCode ? new ExtractRefusedError(e.message) : e);
    });
    body.on('error', reject);
    body.pipe(unpack);
  });
  if (state.refused) throw state.refused;
  await fixAttributes(dir, state.written.filter((p) => p.type !== 'Directory'));
  for (const item of state.special) await makeSpecial(dir, item, opts);
  for (const path of state.replacedWhiteouts) opts.onWhiteoutReplaced?.(path);
  // Directories last and deepest first: creating their content changed their times.
  await fixAttributes(dir, state.written.filter((p) => p.type === 'Directory').reverse());
}

/** node-tar's filter (synchronous, one lstat): renames, checks a conflict, keeps the special entries for later. */
function admit(dir: string, entry: ReadEntry, opts: ExtractOptions, state: ExtractState): boolean {
  if (state.refused) return false;
  if (opts.rename) renameEntry(entry, opts.rename);
  const path = relativeName(entry.path);
  if (path === undefined) return false;
  const existing = lstatSync(join(dir, path), { throwIfNoEntry: false });
  const isDir = entry.type === 'Directory';
  if (opts.noOverwriteDirNonDir && existing && path !== '' && existing.isDirectory() !== isDir && !isWhiteout(existing)) {
    const shown = posix.join(opts.shownAs ?? '/', path);
    state.refused = new ExtractRefusedError(isDir ? `cannot overwrite non-directory "${shown}" with directory` : `cannot overwrite directory "${shown}" with non-directory`);
    return false;
  }
  const item = pending(path, entry);
  if (SPECIAL.has(entry.type)) {
    state.special.push(item);
    return false;
  }
  if (isDir && opts.onWhiteoutReplaced && existing && isWhiteout(existing)) state.replacedWhiteouts.push(join(dir, path));
  if (entry.type === 'File' || isDir) state.written.push(item);
  return true;
}

function renameEntry(entry: ReadEntry, rename: (name: string) => string): void {
  entry.path = rename(entry.path);
  if (entry.type === 'Link' && entry.linkpath) entry.linkpath = rename(entry.linkpath);
}

function pending(path: string, entry: ReadEntry): Pending {
  return {
    path,
    type: entry.type,
    linkpath: entry.linkpath ?? '',
    mode: (entry.mode ?? 0o644) & 0o7777,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    mtime: entry.mtime ?? new Date(),
    devmaj: entry.header.devmaj,
    devmin: entry.header.devmin,
  };
}

/** The entry's name relative to the extraction directory; undefined when it would leave it. */
function relativeName(name: string): string | undefined {
  if (name.split('/').includes('..')) return undefined;
  return posix.normalize(`/${name}`).split('/').filter((p) => p !== '').join('/');
}

/** Exact modes (node-tar's are cut by the umask, and chown clears setuid bits), and directory times. */
async function fixAttributes(dir: string, items: Pending[]): Promise<void> {
  for (const item of items) {
    const path = join(dir, item.path);
    const st = await lstat(path).catch(() => undefined);
    if (!st || st.isSymbolicLink() || !(await realDirectories(dir, item.path))) continue;
    await chmod(path, item.mode);
    if (item.type === 'Directory') await utimes(path, item.mtime, item.mtime);
  }
}

/** A symlink or device node, its parents checked to be real directories inside `dir`. */
async function makeSpecial(dir: string, item: Pending, opts: ExtractOptions): Promise<void> {
  if (item.type !== 'SymbolicLink' && !opts.mknod) return;
  const target = await safeTarget(dir, item.path, opts.shownAs ?? '/');
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new ExtractRefusedError(`cannot overwrite directory "${posix.join(opts.shownAs ?? '/', item.path)}" with non-directory`);
  if (existing) await unlink(target);
  if (item.type === 'SymbolicLink') await symlink(item.linkpath, target);
  else opts.mknod!(target, item.type as NodeType, item.mode, item.devmaj, item.devmin);
  if (AS_ROOT) await lchown(target, item.uid, item.gid);
  if (item.type !== 'SymbolicLink') await chmod(target, item.mode);
  await lutimes(target, item.mtime, item.mtime);
}

/** `dir/path`, its missing parents created; a symlink or a file on the way is refused (no escape through it). */
async function safeTarget(dir: string, path: string, shownAs: string): Promise<string> {
  const parts = path.split('/');
  let current = dir;
  for (const part of parts.slice(0, -1)) {
    current = join(current, part);
    const st = await lstat(current).catch(() => undefined);
    if (!st) await mkdir(current, { mode: 0o755 });
    else if (!st.isDirectory()) throw new ExtractRefusedError(`cannot extract "${posix.join(shownAs, path)}": "${posix.join(shownAs, posix.relative(dir, current))}" is not a directory`);
  }
  return join(current, parts.at(-1)!);
}

/** Whether every parent of `path` under `dir` is a real directory (chmod would follow a symlink on the way). */
async function realDirectories(dir: string, path: string): Promise<boolean> {
  let current = dir;
  for (const part of path.split('/').slice(0, -1)) {
    current = join(current, part);
    if (!(await lstat(current).catch(() => undefined))?.isDirectory()) return false;
  }
  return true;
}

function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}
