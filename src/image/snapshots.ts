/**
 * Layer snapshots, Docker overlay2 style: each layer unpacked once, on its own, into
 * <root>/snapshots/<chain ID hex>/fs, so images sharing a base share its directories. A short symlink
 * <root>/l/<10 chars> → ../snapshots/<hex>/fs names each one, keeping overlay's lowerdir option short.
 * A snapshot appears by one rename of a fully unpacked temp dir: it is either complete or absent.
 * Layers unpack in parallel (each into a temp dir of its own, which needs nothing of the layers below); only the
 * rename waits for the parent's snapshot, so a snapshot never appears before the one below it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { writeJsonAtomic, fsyncDir } from '../util/atomic-write.js';
import { digestHex, sha256Digest } from './digest.js';
import { unpackLayerOffThread } from './layer-workers.js';
import { concurrencyLimit } from './registry/limit.js';

export interface SnapshotInfo {
  chainId: string;
  diffId: string;
  parent?: string; // chain ID of the layer below
  link: string; // name under <root>/l
  size: number; // bytes of file content in this layer
}

export interface EnsureRequest {
  diffId: string; // expected sha256 of the uncompressed layer; verified while unpacking
  parent?: string; // chain ID of the layer below, absent for the first layer
  blobPath: string; // the (possibly compressed) layer tarball
}

/** One layer of a chain for `ensureChain`: its parent is the layer before it in the list. */
export interface ChainLayer {
  diffId: string; // expected sha256 of the uncompressed layer; verified while unpacking
  blobPath: string; // the (possibly compressed) layer tarball
  /**
   * Settles when the blob is at `blobPath` (a download in progress); its unpack starts then. A rejection fails the
   * layer. A download that unpacked the layer as it came resolves with that (its temp dir is taken over).
   */
  ready?: Promise<Unpacked | void>;
}

/** A layer unpacked elsewhere (by a download, as it arrived), not checked yet: `temp` came from `newTempDir`, its tree is in `temp`/fs. */
export interface Unpacked {
  temp: string;
  diffId: string;
  contentSize: number;
}

export interface ChainOptions {
  /** Chain ID of the snapshot below the first layer (absent: the first layer is a base layer). */
  parent?: string;
  /** A layer's unpack starts (not called for layers already unpacked, or unpacking for another caller). */
  onUnpack?: (index: number) => void;
  /** A layer's snapshot is in place; `created` when this call made it (false: it was there, or another caller's). */
  onDone?: (index: number, info: SnapshotInfo, created: boolean) => void;
}

/** Layer unpacks running at once (each one reads, decompresses, hashes and writes a whole layer). */
const UNPACK_CONCURRENCY = 3;

const LINK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LINK_LENGTH = 10;

/** The snapshot-to-be of an unpacked layer, if it is the layer asked for; otherwise its temp dir is removed and this throws. */
function checkedUnpacked(chainId: string, request: EnsureRequest, unpacked: Unpacked): { temp: string; info: SnapshotInfo } {
  if (unpacked.diffId !== request.diffId) {
    rmSync(unpacked.temp, { recursive: true, force: true });
    throw new UserError(`layer content mismatch: expected diff_id ${request.diffId}, got ${unpacked.diffId}`);
  }
  const info: SnapshotInfo = { chainId, diffId: request.diffId, link: '', size: unpacked.contentSize };
  if (request.parent !== undefined) info.parent = request.parent;
  return { temp: unpacked.temp, info };
}

export function chainIdOf(parent: string | undefined, diffId: string): string {
  return parent === undefined ? diffId : sha256Digest(`${parent} ${diffId}`);
}

export class SnapshotStore {
  private readonly snapshotDir: string;
  private readonly linkDir: string;
  private readonly pending = new Map<string, Promise<SnapshotInfo>>();
  private readonly unpackSlots = concurrencyLimit(UNPACK_CONCURRENCY);

  constructor(readonly root: string) {
    this.snapshotDir = join(root, 'snapshots');
    this.linkDir = join(root, 'l');
    mkdirSync(this.snapshotDir, { recursive: true });
    mkdirSync(this.linkDir, { recursive: true });
  }

  private dirOf(chainId: string): string {
    return join(this.snapshotDir, digestHex(chainId));
  }

  has(chainId: string): boolean {
    return existsSync(join(this.dirOf(chainId), 'snapshot.json'));
  }

  get(chainId: string): SnapshotInfo | undefined {
    if (!this.has(chainId)) return undefined;
    return JSON.parse(readFileSync(join(this.dirOf(chainId), 'snapshot.json'), 'utf8')) as SnapshotInfo;
  }

  /** The unpacked directory itself (long path). */
  fsPath(chainId: string): string {
    return join(this.dirOf(chainId), 'fs');
  }

  /** The short path to give overlayfs as a lowerdir. */
  lowerDir(chainId: string): string {
    const info = this.get(chainId);
    if (!info) throw new UserError(`layer ${chainId} is not unpacked`);
    return join(this.linkDir, info.link);
  }

  /**
   * The snapshot for the layer on top of `parent`, unpacking it only if it is not there yet. The parent must
   * exist, or be on its way (an ensure or ensureChain of it still running): the unpack starts at once, and the
   * snapshot appears once the parent's has; if the parent's fails, so does this one.
   */
  ensure(request: EnsureRequest): Promise<SnapshotInfo> {
    return this.ensureOne(request, undefined).job;
  }

  /**
   * Snapshots for a chain of layers, lowest first (the `ImageStore.addImage` loop, with the layers unpacking in
   * parallel): each layer unpacks as soon as its blob is `ready`, and each snapshot appears after the one below
   * it. Settles only once every layer's work is over: on failure no temp dir is left, and the lowest layer's
   * error is thrown (snapshots of the layers below it stay: they are complete).
   */
  async ensureChain(layers: ChainLayer[], opts: ChainOptions = {}): Promise<SnapshotInfo[]> {
    let parent = opts.parent;
    const jobs: Array<Promise<SnapshotInfo>> = [];
    for (const [index, layer] of layers.entries()) {
      const request: EnsureRequest = { diffId: layer.diffId, blobPath: layer.blobPath, ...(parent !== undefined ? { parent } : {}) };
      const { job, mine } = this.ensureOne(request, { ready: layer.ready, index, opts });
      const reported = job.then((info) => {
        opts.onDone?.(index, info, mine);
        return info;
      });
      reported.catch(() => undefined); // observed below, once every job has settled
      jobs.push(reported);
      parent = chainIdOf(parent, layer.diffId);
    }
    const results = await Promise.allSettled(jobs);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    return results.map((r) => (r as PromiseFulfilledResult<SnapshotInfo>).value);
  }

  /** The job that makes (or made) the snapshot; `mine` when this call started it. */
  private ensureOne(
    request: EnsureRequest, chain: { ready: Promise<Unpacked | void> | undefined; index: number; opts: ChainOptions } | undefined,
  ): { job: Promise<SnapshotInfo>; mine: boolean } {
    const chainId = chainIdOf(request.parent, request.diffId);
    const other = (job: Promise<SnapshotInfo>) => {
      // This layer is not needed: whether its blob comes is the caller's business, but an unpacked copy goes.
      chain?.ready?.then((unpacked) => unpacked && rmSync(unpacked.temp, { recursive: true, force: true }), () => undefined);
      return { job, mine: false };
    };
    const existing = this.get(chainId);
    if (existing) return other(Promise.resolve(existing));
    const below = request.parent === undefined || this.has(request.parent) ? Promise.resolve() : this.pending.get(request.parent);
    if (!below) return other(Promise.reject(new UserError(`parent layer ${request.parent} is not unpacked`)));
    const pending = this.pending.get(chainId);
    if (pending) return other(pending);
    const onUnpack = chain?.opts.onUnpack;
    const started = onUnpack && (() => onUnpack(chain!.index));
    const job = this.create(chainId, request, chain?.ready ?? Promise.resolve(), below, started).finally(() => this.pending.delete(chainId));
    this.pending.set(chainId, job);
    return { job, mine: true };
  }

  /**
   * Unpacks the layer into a temp dir once `ready` (with at most UNPACK_CONCURRENCY others), then waits for
   * `below` (the parent's snapshot) before renaming it into place.
   */
  private async create(
    chainId: string, request: EnsureRequest, ready: Promise<Unpacked | void>, below: Promise<unknown>, onUnpack: (() => void) | undefined,
  ): Promise<SnapshotInfo> {
    let belowFailed = false;
    below.catch(() => (belowFailed = true)); // awaited after the unpack; a failure known before it saves the work
    const delivered = await ready;
    const { temp, info } = delivered
      ? checkedUnpacked(chainId, request, delivered)
      : await this.unpackSlots(async () => {
          if (belowFailed) await below; // throws the parent's error
          onUnpack?.();
          return this.unpackTemp(chainId, request);
        });
    try {
      await below; // the parent's snapshot is in place (or this throws its error)
      const existing = this.get(chainId); // adopted meanwhile: that snapshot serves
      if (existing) {
        rmSync(temp, { recursive: true, force: true });
        return existing;
      }
      info.link = this.newLink(chainId);
      writeJsonAtomic(join(temp, 'snapshot.json'), info);
      try {
        renameSync(temp, this.dirOf(chainId));
      } catch (e) {
        // adopted meanwhile (adopt does not wait for a pending unpack): that snapshot serves
        const adopted = this.get(chainId);
        rmSync(join(this.linkDir, info.link), { force: true });
        if (!adopted || !isExistsError(e)) throw e;
        rmSync(temp, { recursive: true, force: true });
        return adopted;
      }
      fsyncDir(this.snapshotDir);
      return info;
    } catch (e) {
      rmSync(temp, { recursive: true, force: true });
      throw e;
    }
  }

  /** The layer unpacked and checked in a new temp dir (removed again on failure); its info but for the link. */
  private async unpackTemp(chainId: string, request: EnsureRequest): Promise<{ temp: string; info: SnapshotInfo }> {
    const temp = this.newTempDir();
    try {
      const unpacked = await unpackLayerOffThread(request.blobPath, join(temp, 'fs'));
      return checkedUnpacked(chainId, request, { temp, ...unpacked });
    } catch (e) {
      rmSync(temp, { recursive: true, force: true });
      throw e;
    }
  }

  /** A new private dir beside the snapshots (same filesystem: it can become one by a rename), for an unpack into its `fs`. */
  newTempDir(): string {
    const temp = join(this.snapshotDir, `.tmp-${randomBytes(6).toString('hex')}`);
    mkdirSync(temp, { mode: 0o700 });
    return temp;
  }

  /**
   * Makes `dir`, already in snapshot format (an overlay upper dir, a layer unpacked elsewhere in this filesystem),
   * the snapshot of the layer `diffId` on top of `parent`, by renaming it in: afterwards `dir` is gone. When that
   * snapshot exists already, `dir` is deleted and the existing one returned. Appears atomically, as `ensure`'s.
   * A `dir` on another filesystem is refused (EXDEV) and left where it is.
   */
  adopt(dir: string, request: { diffId: string; parent?: string; size: number }): SnapshotInfo {
    const chainId = chainIdOf(request.parent, request.diffId);
    const existing = this.get(chainId);
    if (existing) {
      rmSync(dir, { recursive: true, force: true });
      return existing;
    }
    if (request.parent !== undefined && !this.has(request.parent)) throw new UserError(`parent layer ${request.parent} is not unpacked`);
    const temp = this.newTempDir();
    let moved = false;
    let link: string | undefined;
    try {
      renameSync(dir, join(temp, 'fs'));
      moved = true;
      link = this.newLink(chainId);
      const info: SnapshotInfo = { chainId, diffId: request.diffId, link, size: request.size };
      if (request.parent !== undefined) info.parent = request.parent;
      writeJsonAtomic(join(temp, 'snapshot.json'), info);
      renameSync(temp, this.dirOf(chainId));
      fsyncDir(this.snapshotDir);
      return info;
    } catch (e) {
      if (link !== undefined) rmSync(join(this.linkDir, link), { force: true });
      if (moved) {
        try {
          renameSync(join(temp, 'fs'), dir); // give the caller its directory back
        } catch {
          // it goes with the temp dir
        }
      }
      rmSync(temp, { recursive: true, force: true });
      throw e;
    }
  }

  /** A fresh short name, linked to where the snapshot's fs will be once renamed into place. */
  private newLink(chainId: string): string {
    for (;;) {
      const bytes = randomBytes(LINK_LENGTH);
      const link = [...bytes].map((b) => LINK_ALPHABET[b % LINK_ALPHABET.length]).join('');
      try {
        symlinkSync(join('..', 'snapshots', digestHex(chainId), 'fs'), join(this.linkDir, link));
        return link;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  }

  /** Deletes a snapshot and its link; false when absent. Renamed aside first so it never looks half there. */
  remove(chainId: string): boolean {
    const info = this.get(chainId);
    if (!info) return false;
    rmSync(join(this.linkDir, info.link), { force: true });
    const doomed = join(this.snapshotDir, `.del-${randomBytes(6).toString('hex')}`);
    renameSync(this.dirOf(chainId), doomed);
    rmSync(doomed, { recursive: true, force: true });
    return true;
  }

  list(): SnapshotInfo[] {
    return readdirSync(this.snapshotDir)
      .filter((name) => !name.startsWith('.'))
      .map((hex) => this.get(`sha256:${hex}`))
      .filter((info): info is SnapshotInfo => info !== undefined);
  }

  /** Removes what an interrupted unpack or delete left behind: temp dirs and links to nothing. */
  cleanupLeftovers(): void {
    for (const name of readdirSync(this.snapshotDir)) {
      if (name.startsWith('.tmp-') || name.startsWith('.del-')) rmSync(join(this.snapshotDir, name), { recursive: true, force: true });
    }
    for (const link of readdirSync(this.linkDir)) {
      const path = join(this.linkDir, link);
      if (!existsSync(path)) rmSync(path, { force: true }); // existsSync follows the link: false when dangling
    }
  }
}

function isExistsError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EEXIST' || code === 'ENOTEMPTY';
}
