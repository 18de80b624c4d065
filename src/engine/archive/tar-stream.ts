/**
 * A tar of one path of a tree (an image/container merged view, or a plain host directory), produced as an
 * async sequence of buffers: the caller streams it with backpressure, nothing is built in memory.
 */
import { createReadStream, type Stats } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { Header, Pax, type HeaderData } from 'tar';

/** One path of a tree: a directory may span several host directories (topmost first), anything else is one file. */
export type TreeEntry = { kind: 'directory'; hostPaths: string[]; stat: Stats } | { kind: 'other'; hostPath: string; stat: Stats };

export interface TarTree {
  children(path: string, entry: TreeEntry & { kind: 'directory' }): Promise<Array<{ name: string; entry: TreeEntry }>>;
}

const BLOCK = 512;

/** The entry at `path` and everything below it, named `rootName` (and `rootName/...`) in the archive. */
export async function* tarTree(tree: TarTree, path: string, entry: TreeEntry, rootName: string): AsyncGenerator<Buffer> {
  yield* walk(tree, path, entry, rootName, new Map());
  yield Buffer.alloc(2 * BLOCK); // end of archive
}

async function* walk(tree: TarTree, path: string, entry: TreeEntry, name: string, links: Map<string, string>): AsyncGenerator<Buffer> {
  const header = await headerFor(entry, name, links);
  if (!header) return;
  yield* headerBlocks(header);
  if (entry.kind === 'other' && header.type === 'File' && header.size) yield* fileContent(entry.hostPath, header.size);
  if (entry.kind !== 'directory') return;
  for (const child of await tree.children(path, entry)) {
    yield* walk(tree, posix.join(path, child.name), child.entry, `${name}/${child.name}`, links);
  }
}

/** The tar header of one entry; undefined for what tar cannot hold (sockets). */
async function headerFor(entry: TreeEntry, name: string, links: Map<string, string>): Promise<HeaderData | undefined> {
  const st = entry.stat;
  const base: HeaderData = { path: name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime, size: 0 };
  if (entry.kind === 'directory') return { ...base, path: `${name}/`, type: 'Directory' };
  if (st.isSymbolicLink()) return { ...base, type: 'SymbolicLink', linkpath: await readlink(entry.hostPath) };
  if (st.isFile()) return fileHeader(base, st, links);
  const device = { devmaj: Math.floor(st.rdev / 256) & 0xfff, devmin: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) };
  if (st.isCharacterDevice()) return { ...base, ...device, type: 'CharacterDevice' };
  if (st.isBlockDevice()) return { ...base, ...device, type: 'BlockDevice' };
  if (st.isFIFO()) return { ...base, type: 'FIFO' };
  return undefined;
}

/** A second name of an inode already in the archive is a hard link to the first. */
function fileHeader(base: HeaderData, st: Stats, links: Map<string, string>): HeaderData {
  if (st.nlink > 1) {
    const key = `${st.dev}:${st.ino}`;
    const first = links.get(key);
    if (first !== undefined) return { ...base, type: 'Link', linkpath: first };
    links.set(key, base.path!);
  }
  return { ...base, type: 'File', size: st.size };
}

/** A ustar header, preceded by a PAX header when a name or number does not fit. */
export function headerBlocks(data: HeaderData): Buffer[] {
  const header = new Header(data);
  const block = Buffer.alloc(BLOCK);
  header.encode(block, 0);
  if (!header.needPax) return [block];
  const { path, linkpath, size, mtime, uid, gid } = data;
  return [new Pax({ path, linkpath, size, mtime, uid, gid }).encode(), block];
}

/** Exactly `size` bytes (a file that shrank while read is padded, one that grew is cut), then block padding. */
export async function* fileContent(hostPath: string, size: number): AsyncGenerator<Buffer> {
  let sent = 0;
  for await (const chunk of createReadStream(hostPath, { start: 0, end: size - 1 })) {
    sent += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
  if (sent < size) yield Buffer.alloc(size - sent);
  const rest = size % BLOCK;
  if (rest) yield Buffer.alloc(BLOCK - rest);
}
