/**
 * Docker's copy-up: an empty volume mounted where the image has a directory starts with that directory's content
 * (files, directories, symlinks, device nodes, hard links, modes, owners, times) and takes the directory's owner
 * and mode. Fully asynchronous: a big directory never freezes the engine.
 */
import type { Stats } from 'node:fs';
import { chmod, copyFile, lchown, link, lutimes, mkdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { mknod, S_IFBLK, S_IFCHR, S_IFIFO } from '../runtime/syscalls.js';
import { ImageTree, type MergedEntry } from './image-tree.js';

export interface CopyUpResult {
  copied: boolean; // false when the image has no directory at that path
}

/** Copies the image's `imagePath` (as the image's layers show it) into the existing, empty `destination`. */
export async function copyImageContent(lowerDirs: string[], imagePath: string, destination: string): Promise<CopyUpResult> {
  const tree = await ImageTree.open(lowerDirs);
  const found = await tree.lookup(imagePath);
  if (found?.entry.kind !== 'directory') return { copied: false };
  const copier = new TreeCopier(tree);
  await copier.copyChildren(found.path, found.entry, destination);
  await copyAttributes(found.entry.stat, destination);
  return { copied: true };
}

class TreeCopier {
  /** Source inode → first copy, so hard links stay hard links. */
  private readonly links = new Map<string, string>();

  constructor(private readonly tree: ImageTree) {}

  async copyChildren(path: string, dir: MergedEntry & { kind: 'directory' }, destination: string): Promise<void> {
    for (const { name, entry } of await this.tree.children(path, dir)) {
      await this.copyEntry(`${path}/${name}`.replace(/^\/\//, '/'), entry, join(destination, name));
    }
  }

  private async copyEntry(path: string, entry: MergedEntry, destination: string): Promise<void> {
    const st = entry.stat;
    if (entry.kind === 'directory') {
      await mkdir(destination, { mode: 0o700 });
      await this.copyChildren(path, entry, destination);
    } else if (st.isSymbolicLink()) {
      await symlink(await readlink(entry.hostPath), destination);
    } else if (st.isFile()) {
      if (await this.linkedCopy(st, destination)) return;
      await copyFile(entry.hostPath, destination);
    } else if (st.isCharacterDevice() || st.isBlockDevice() || st.isFIFO()) {
      const type = st.isCharacterDevice() ? S_IFCHR : st.isBlockDevice() ? S_IFBLK : S_IFIFO;
      mknod(destination, type, st.mode, Math.floor(st.rdev / 256) & 0xfff, (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00));
    } else {
      return; // sockets: nothing to copy
    }
    await copyAttributes(st, destination);
  }

  /** A second name of an already copied inode becomes a hard link to the copy. */
  private async linkedCopy(st: Stats, destination: string): Promise<boolean> {
    if (st.nlink < 2) return false;
    const key = `${st.dev}:${st.ino}`;
    const first = this.links.get(key);
    if (first === undefined) {
      this.links.set(key, destination);
      return false;
    }
    await link(first, destination);
    return true;
  }
}

/** Owner first (chown clears setuid bits), then mode, then times (after the content, which changed them). */
async function copyAttributes(st: Stats, destination: string): Promise<void> {
  await lchown(destination, st.uid, st.gid);
  if (!st.isSymbolicLink()) await chmod(destination, st.mode & 0o7777);
  await lutimes(destination, st.atime, st.mtime);
}
