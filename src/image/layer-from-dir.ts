/**
 * The reverse of layer-unpack: a directory in overlay format (a container's upper dir, a snapshot's fs) becomes
 * an OCI layer changeset. Overlay whiteouts (char devices 0/0) become `.wh.<name>` files, a directory marked
 * `trusted.overlay.opaque=y` is followed by its `.wh..wh..opq` marker, a second name of an inode becomes a hard
 * link, extended attributes other than overlay's own go in PAX `SCHILY.xattr.*` records.
 * Entries are written in sorted order with times cut to whole seconds and no user/group names, so the same tree
 * always gives the same bytes (the same diff_id). The tar is streamed: hashed for the diff_id, gzip-compressed and
 * stored in the content store, never held whole in memory.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Header, type HeaderData } from 'tar';
import { lgetxattr, llistxattr } from '../runtime/syscalls.js';
import type { ContentStore } from './content-store.js';
import { OPAQUE_MARKER, WHITEOUT_PREFIX } from './layer-paths.js';
import { OPAQUE_XATTR } from './layer-unpack.js';
import { MEDIA_TYPES, type OciDescriptor } from './oci-types.js';

export interface DirLayer {
  layer: OciDescriptor; // gzip media type, digest and size of the compressed blob in the content store
  diffId: string; // sha256 of the uncompressed tar
  size: number; // bytes of regular file content (Docker's layer size)
  empty: boolean; // no entries at all (the tar is just its end marker)
}

export interface LayerFromDirOptions {
  /**
   * Drops an entry (and, for a directory, everything below it). `relPath` is relative to the layer root, without
   * leading or trailing slash ("etc/hosts", "var/cache"); `stat` is the entry's lstat. Whiteouts are offered under
   * the name they delete ("etc/motd", a char device 0/0).
   */
  exclude?: (relPath: string, stat: Stats) => boolean;
}

const BLOCK = 512;
const READ_CHUNK = 256 * 1024;
const OUTPUT_CHUNK = 64 * 1024;
const PAX_NAME = '././@PaxHeader';
const USTAR_MAX_SIZE = 8 ** 11 - 1;
const USTAR_MAX_ID = 8 ** 7 - 1;

/** Writes the layer of `dir` into the content store (gzip), returning its descriptor and diff_id. */
export async function layerFromDir(content: ContentStore, dir: string, opts: LayerFromDirOptions = {}): Promise<DirLayer> {
  const state: WalkState = { links: new Map(), size: 0, entries: 0, exclude: opts.exclude };
  const diffHash = createHash('sha256');
  const gzip = createGzip();
  const feeding = pipeline(Readable.from(coalesce(layerTar(dir, state))), hashing(diffHash), gzip);
  const [blob] = await Promise.all([content.put(gzip), feeding]);
  return {
    layer: { mediaType: MEDIA_TYPES.ociLayerGzip, digest: blob.digest, size: blob.size },
    diffId: 'sha256:' + diffHash.digest('hex'),
    size: state.size,
    empty: state.entries === 0,
  };
}

interface WalkState {
  links: Map<string, string>; // "dev:ino" → the archive name the inode was first written under
  size: number;
  entries: number;
  exclude: LayerFromDirOptions['exclude'];
}

async function* layerTar(root: string, state: WalkState): AsyncGenerator<Buffer> {
  yield* walkDir(root, '', state);
  yield Buffer.alloc(2 * BLOCK); // end of archive
}

/** The children of one directory (`rel` is "" for the root, else "a/b"), sorted by name, depth first. */
async function* walkDir(hostDir: string, rel: string, state: WalkState): AsyncGenerator<Buffer> {
  const names = (await readdir(hostDir)).sort(byCodeUnits);
  for (const name of names) {
    const hostPath = join(hostDir, name);
    const relPath = rel === '' ? name : `${rel}/${name}`;
    let st: Stats;
    try {
      st = await lstat(hostPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed meanwhile (a live upper dir)
      throw e;
    }
    if (state.exclude?.(relPath, st)) continue;
    yield* entry(hostPath, relPath, st, state);
    if (st.isDirectory()) yield* walkDir(hostPath, relPath, state);
  }
}

/** The tar blocks of one entry (header, content); nothing for what a tar cannot hold (sockets). */
async function* entry(hostPath: string, relPath: string, st: Stats, state: WalkState): AsyncGenerator<Buffer> {
  const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: wholeSeconds(st.mtimeMs), size: 0, uname: '', gname: '' };
  if (isWhiteout(st)) {
    const slash = relPath.lastIndexOf('/');
    const path = `${relPath.slice(0, slash + 1)}${WHITEOUT_PREFIX}${relPath.slice(slash + 1)}`;
    state.entries++;
    // the device's mtime says nothing (and is "now" once unpacked again): a fixed one keeps layers reproducible
    yield* headerBlocks({ ...base, path, type: 'File', mode: 0o600, mtime: new Date(0) }, []);
    return;
  }
  const xattrs = readXattrs(hostPath);
  if (st.isDirectory()) {
    state.entries++;
    yield* headerBlocks({ ...base, path: `${relPath}/`, type: 'Directory' }, xattrs);
    if (lgetxattr(hostPath, OPAQUE_XATTR)?.toString() === 'y') {
      yield* headerBlocks({ ...base, path: `${relPath}/${OPAQUE_MARKER}`, type: 'File', mode: st.mode & 0o777 }, []);
    }
    return;
  }
  if (st.nlink > 1) {
    const key = `${st.dev}:${st.ino}`;
    const first = state.links.get(key);
    if (first !== undefined) {
      state.entries++;
      yield* headerBlocks({ ...base, path: relPath, type: 'Link', linkpath: first }, []);
      return;
    }
    state.links.set(key, relPath);
  }
  if (st.isFile()) {
    state.entries++;
    state.size += st.size;
    yield* headerBlocks({ ...base, path: relPath, type: 'File', size: st.size }, xattrs);
    yield* fileBytes(hostPath, st.size);
    return;
  }
  let header: HeaderData | undefined;
  if (st.isSymbolicLink()) header = { ...base, path: relPath, type: 'SymbolicLink', linkpath: await readlink(hostPath) };
  else if (st.isCharacterDevice()) header = { ...base, path: relPath, type: 'CharacterDevice', ...deviceNumbers(st.rdev) };
  else if (st.isBlockDevice()) header = { ...base, path: relPath, type: 'BlockDevice', ...deviceNumbers(st.rdev) };
  else if (st.isFIFO()) header = { ...base, path: relPath, type: 'FIFO' };
  if (!header) {
    state.links.delete(`${st.dev}:${st.ino}`);
    return;
  }
  state.entries++;
  yield* headerBlocks(header, xattrs);
}

/** Overlay's whiteout: a character device with device number 0/0. */
function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

/** glibc's major()/minor() of a dev_t. */
function deviceNumbers(rdev: number): { devmaj: number; devmin: number } {
  const high = Math.floor(rdev / 2 ** 32);
  const low = rdev % 2 ** 32;
  return {
    devmaj: ((low >>> 8) & 0xfff) | ((high & 0xfffff000) >>> 0),
    devmin: ((low & 0xff) | ((low >>> 12) & 0xfff00)) >>> 0,
  };
}

function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** Extended attributes but overlay's own (trusted.overlay.*), sorted by name. */
function readXattrs(hostPath: string): Array<[string, Buffer]> {
  const result: Array<[string, Buffer]> = [];
  for (const name of llistxattr(hostPath).sort(byCodeUnits)) {
    if (name.startsWith('trusted.overlay.')) continue;
    const value = lgetxattr(hostPath, name);
    if (value !== undefined) result.push([name, Buffer.from(value)]);
  }
  return result;
}

/** A ustar header, preceded by a PAX extended header when a field does not fit or there are xattrs. */
function headerBlocks(data: HeaderData, xattrs: Array<[string, Buffer]>): Buffer[] {
  const block = Buffer.alloc(BLOCK);
  const needPax = new Header(data).encode(block, 0) || ustarPath(block) !== data.path;
  if (!needPax && xattrs.length === 0) return [block];
  const records: Buffer[] = [paxRecord('path', data.path!)];
  if (data.linkpath && !fitsUstar(data.linkpath)) records.push(paxRecord('linkpath', data.linkpath));
  if ((data.size ?? 0) > USTAR_MAX_SIZE) records.push(paxRecord('size', String(data.size)));
  if ((data.uid ?? 0) > USTAR_MAX_ID) records.push(paxRecord('uid', String(data.uid)));
  if ((data.gid ?? 0) > USTAR_MAX_ID) records.push(paxRecord('gid', String(data.gid)));
  // last: a binary value would confuse line-based readers (node-tar) about what follows it
  for (const [name, value] of xattrs) records.push(paxRecord(`SCHILY.xattr.${name}`, value));
  const body = Buffer.concat(records);
  const paxHeader = Buffer.alloc(BLOCK);
  new Header({ path: PAX_NAME, type: 'ExtendedHeader', size: body.length, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), uname: '', gname: '' }).encode(paxHeader, 0);
  return [paxHeader, body, padding(body.length), block];
}

/** The path as a ustar reader sees it (prefix/name): node-tar's split drops a folder's trailing slash. */
function ustarPath(block: Buffer): string {
  const field = (start: number, length: number) => {
    const bytes = block.subarray(start, start + length);
    const end = bytes.indexOf(0);
    return bytes.subarray(0, end < 0 ? length : end).toString('utf8');
  };
  const prefix = field(345, 155);
  return prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
}

function fitsUstar(text: string): boolean {
  return Buffer.byteLength(text) === text.length && text.length < 100;
}

/** "<length> <key>=<value>\n", the length counting its own digits. */
function paxRecord(key: string, value: string | Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), typeof value === 'string' ? Buffer.from(value) : value, Buffer.from('\n')]);
  let total = body.length;
  for (let next = body.length + String(total).length; next !== total; next = body.length + String(total).length) total = next;
  return Buffer.concat([Buffer.from(String(total)), body]);
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Exactly `size` bytes of the file (padded with zeros when it shrank meanwhile), then the block padding. */
async function* fileBytes(hostPath: string, size: number): AsyncGenerator<Buffer> {
  const handle = await open(hostPath, 'r');
  let sent = 0;
  try {
    while (sent < size) {
      const want = Math.min(READ_CHUNK, size - sent);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(chunk, 0, want, sent);
      if (bytesRead === 0) break;
      sent += bytesRead;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
  if (sent < size) yield Buffer.alloc(size - sent);
  yield padding(size);
}

/** Joins small pieces (headers, small files) into larger chunks for the hash and gzip stages. */
async function* coalesce(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let size = 0;
  for await (const piece of source) {
    if (piece.length === 0) continue;
    parts.push(piece);
    size += piece.length;
    if (size >= OUTPUT_CHUNK) {
      yield Buffer.concat(parts, size);
      parts = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(parts, size);
}

function hashing(hash: ReturnType<typeof createHash>) {
  return async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      hash.update(chunk);
      yield chunk;
    }
  };
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
