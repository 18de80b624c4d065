/**
 * Unpacks one layer tarball into an empty directory, the Docker overlay2 way: the layer's own files only,
 * whiteouts turned into overlay whiteouts (char device 0/0) and opaque markers into the
 * `trusted.overlay.opaque=y` xattr, so that overlayfs applies them when the layers are stacked.
 * node-tar writes files, dirs, symlinks and hard links; this module vets every entry first, makes the nodes
 * node-tar cannot (whiteouts, devices, fifos), then sets owner, mode and mtime of every entry from its header
 * (node-tar leaves symlinks' owners alone, lets the umask and chown eat mode bits, and later children bump
 * directory mtimes).
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync } from 'node:fs';
import { chmod, lchown, lutimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Unpack, type ReadEntry } from 'tar';
import { UserError } from '../errors.js';
import { decompressor, detectFileCompression, isDecompressionError, STREAM_CHUNK, type Compression } from './compression.js';
import { cleanEntryPath, entryRole, SymlinkGuard } from './layer-paths.js';
import { lsetxattr, mknod, S_IFBLK, S_IFCHR, S_IFIFO } from '../runtime/syscalls.js';

export const OPAQUE_XATTR = 'trusted.overlay.opaque';

export interface UnpackResult {
  diffId: string; // sha256 of the uncompressed tar stream
  contentSize: number; // bytes of regular file content (Docker's layer size)
}

interface EntryMeta {
  type: ReadEntry['type'];
  mode: number;
  uid: number;
  gid: number;
  mtime: Date;
}

/** A node node-tar does not make: created after extraction. */
type SpecialNode =
  | { kind: 'whiteout'; path: string }
  | { kind: 'opaque'; dir: string }
  | { kind: 'device'; path: string; fileType: number; major: number; minor: number; meta: EntryMeta };

const DEVICE_TYPES: Partial<Record<ReadEntry['type'], number>> = {
  CharacterDevice: S_IFCHR,
  BlockDevice: S_IFBLK,
  FIFO: S_IFIFO,
};

/** What one pass over a layer's entries collects. */
class LayerPlan {
  readonly guard = new SymlinkGuard();
  readonly metas = new Map<string, EntryMeta>(); // clean path → last header seen for it
  readonly specials: SpecialNode[] = [];
  contentSize = 0;
  rejection: UserError | undefined;

  /** node-tar's filter: true to let node-tar extract the entry. */
  admit(entry: ReadEntry): boolean {
    if (this.rejection) return false;
    try {
      return this.classify(entry);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      this.rejection = e;
      return false;
    }
  }

  private classify(entry: ReadEntry): boolean {
    const path = cleanEntryPath(entry.path);
    const linkTarget = entry.type === 'Link' ? cleanEntryPath(entry.linkpath ?? '') : undefined;
    this.guard.check(entry.path, path, entry.type === 'SymbolicLink', linkTarget);
    const meta = headerMeta(entry);
    const role = entryRole(path);
    if (role.kind === 'ignored') return false;
    if (role.kind === 'whiteout') return this.addSpecial({ kind: 'whiteout', path: role.target });
    if (role.kind === 'opaque') return this.addSpecial({ kind: 'opaque', dir: role.dir });
    const fileType = DEVICE_TYPES[entry.type];
    if (fileType !== undefined) {
      const major = entry.header.devmaj ?? 0;
      const minor = entry.header.devmin ?? 0;
      this.metas.set(path, meta);
      return this.addSpecial({ kind: 'device', path, fileType, major, minor, meta });
    }
    if (entry.type !== 'Link') this.metas.set(path, meta);
    if (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile') this.contentSize += entry.size;
    return true;
  }

  private addSpecial(node: SpecialNode): false {
    this.specials.push(node);
    return false;
  }
}

function headerMeta(entry: ReadEntry): EntryMeta {
  return {
    type: entry.type,
    mode: (entry.mode ?? 0o644) & 0o7777,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    mtime: entry.mtime ?? new Date(0),
  };
}

/**
 * Unpacks the layer blob at `blobPath` (plain, gzip or zstd) into `target`, which must be an
 * empty directory. Throws a UserError for a refused entry or a damaged archive; the caller removes `target`.
 */
export function unpackLayer(blobPath: string, target: string): Promise<UnpackResult> {
  const compression = detectFileCompression(blobPath);
  return unpackLayerStream(createReadStream(blobPath, { highWaterMark: 4 * STREAM_CHUNK }), compression, target);
}

/**
 * `unpackLayer` for a blob that arrives as a stream (a download, unpacked as it comes): `source` gives the blob's
 * bytes, compressed as `compression` says. Reads `source` to its end unless unpacking fails.
 */
export async function unpackLayerStream(source: Readable, compression: Compression, target: string): Promise<UnpackResult> {
  mkdirSync(target, { recursive: true });
  const plan = new LayerPlan();
  const unpack = new Unpack({
    cwd: target,
    strict: true, // node-tar's own safety warnings (symlink in path, "..") become errors
    preserveOwner: false, // owners, modes and mtimes are set afterwards, from the headers, for every type
    noMtime: true,
    maxDepth: Infinity,
    filter: (_path, entry) => plan.admit(entry as ReadEntry),
  });
  const diffId = await feedTar(source, compression, unpack).catch((e: unknown) => {
    throw plan.rejection ?? asLayerError(e);
  });
  if (plan.rejection) throw plan.rejection;
  makeSpecialNodes(target, plan.specials);
  await applyMetadata(target, plan.metas);
  return { diffId, contentSize: plan.contentSize };
}

/**
 * Streams the decompressed tar into node-tar, hashing it on the way: the hash is the layer's diff_id. Throws
 * node-tar's first error, else the stream's.
 */
async function feedTar(source: Readable, compression: Compression, unpack: Unpack): Promise<string> {
  let closed = false;
  let ended = false;
  let tarError: unknown;
  unpack.on('error', (e: unknown) => (tarError ??= e));
  const finished = new Promise<void>((resolve, reject) => {
    unpack.on('close', () => {
      closed = true;
      resolve();
    });
    unpack.on('error', reject);
  });
  finished.catch(() => undefined); // observed below; avoid an unhandled rejection while feeding
  const hash = createHash('sha256');
  const feed = async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      hash.update(chunk);
      if (!unpack.write(chunk)) await Promise.race([new Promise((r) => unpack.once('drain', r)), finished]);
    }
    ended = true;
    unpack.end();
    await finished;
  };
  const stages: Array<Readable | NodeJS.ReadWriteStream> = [source];
  const undo = decompressor(compression);
  if (undo) stages.push(undo);
  try {
    await (pipeline as (...args: unknown[]) => Promise<void>)(...stages, feed);
  } catch (e) {
    const cause = tarError ?? e; // before settling, whose own "truncated" complaint is not the cause
    if (!closed) await settle(unpack, ended);
    throw cause;
  }
  return 'sha256:' + hash.digest('hex');
}

/**
 * After a failure (damaged stream, refused entry): ends node-tar's input and waits until it has closed the files it
 * has open (an entry cut short keeps its file open otherwise), so that nothing writes into the target once the
 * caller removes it. Bounded, should node-tar never close.
 */
async function settle(unpack: Unpack, ended: boolean): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolve) => {
    unpack.once('close', () => resolve());
    timer = setTimeout(resolve, 10_000);
  });
  try {
    if (!ended) unpack.end(); // a cut entry becomes node-tar's "truncated" error (already listened to), its file closed
  } catch {
    // ended or destroyed meanwhile: nothing more is coming either way
  }
  await closed;
  clearTimeout(timer);
}

function asLayerError(e: unknown): unknown {
  const error = e as NodeJS.ErrnoException & { tarCode?: string };
  if (error?.name === 'SymlinkError') return new UserError(`invalid layer entry: ${error.message}`);
  if (error?.tarCode || isDecompressionError(error)) {
    return new UserError(`invalid layer tarball: ${error.message}`);
  }
  return e;
}

function makeSpecialNodes(root: string, specials: SpecialNode[]): void {
  for (const node of specials) {
    if (node.kind === 'opaque') {
      const dir = join(root, node.dir);
      mkdirSync(dir, { recursive: true });
      lsetxattr(dir, OPAQUE_XATTR, 'y');
      continue;
    }
    const path = join(root, node.path);
    rmSync(path, { recursive: true, force: true });
    mkdirSync(join(path, '..'), { recursive: true });
    if (node.kind === 'whiteout') mknod(path, S_IFCHR, 0, 0, 0);
    else mknod(path, node.fileType, node.meta.mode, node.major, node.minor);
  }
}

/** Owner, then mode (chown clears set-id bits), then mtime, in batches to keep the event loop responsive. */
async function applyMetadata(root: string, metas: Map<string, EntryMeta>): Promise<void> {
  const entries = [...metas];
  const batchSize = 64;
  for (let i = 0; i < entries.length; i += batchSize) {
    await Promise.all(entries.slice(i, i + batchSize).map(([path, meta]) => applyOne(join(root, path), meta)));
  }
}

async function applyOne(path: string, meta: EntryMeta): Promise<void> {
  await lchown(path, meta.uid, meta.gid);
  if (meta.type !== 'SymbolicLink') await chmod(path, meta.mode);
  await lutimes(path, meta.mtime, meta.mtime);
}
