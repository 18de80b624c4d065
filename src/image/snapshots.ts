/**
 * Layer snapshots, Docker overlay2 style: each layer unpacked once, on its own, into
 * <root>/snapshots/<chain ID hex>/fs, so images sharing a base share its directories. A short symlink
 * <root>/l/<10 chars> → ../snapshots/<hex>/fs names each one, keeping overlay's lowerdir option short.
 * A snapshot appears by one rename of a fully unpacked temp dir: it is either complete or absent.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { writeJsonAtomic, fsyncDir } from '../util/atomic-write.js';
import { digestHex, sha256Digest } from './digest.js';
import { unpackLayer } from './layer-unpack.js';

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

const LINK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LINK_LENGTH = 10;

export function chainIdOf(parent: string | undefined, diffId: string): string {
  return parent === undefined ? diffId : sha256Digest(`${parent} ${diffId}`);
}

export class SnapshotStore {
  private readonly snapshotDir: string;
  private readonly linkDir: string;
  private readonly pending = new Map<string, Promise<SnapshotInfo>>();

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

  /** The snapshot for the layer on top of `parent`, unpacking it only if it is not there yet. */
  ensure(request: EnsureRequest): Promise<SnapshotInfo> {
    const chainId = chainIdOf(request.parent, request.diffId);
    const existing = this.get(chainId);
    if (existing) return Promise.resolve(existing);
    if (request.parent !== undefined && !this.has(request.parent)) {
      return Promise.reject(new UserError(`parent layer ${request.parent} is not unpacked`));
    }
    let job = this.pending.get(chainId);
    if (!job) {
      job = this.create(chainId, request).finally(() => this.pending.delete(chainId));
      this.pending.set(chainId, job);
    }
    return job;
  }

  private async create(chainId: string, request: EnsureRequest): Promise<SnapshotInfo> {
    const temp = join(this.snapshotDir, `.tmp-${randomBytes(6).toString('hex')}`);
    mkdirSync(temp, { mode: 0o700 });
    try {
      const unpacked = await unpackLayer(request.blobPath, join(temp, 'fs'));
      if (unpacked.diffId !== request.diffId) {
        throw new UserError(`layer content mismatch: expected diff_id ${request.diffId}, got ${unpacked.diffId}`);
      }
      const info: SnapshotInfo = { chainId, diffId: request.diffId, link: this.newLink(chainId), size: unpacked.contentSize };
      if (request.parent !== undefined) info.parent = request.parent;
      writeJsonAtomic(join(temp, 'snapshot.json'), info);
      try {
        renameSync(temp, this.dirOf(chainId));
      } catch (e) {
        // adopted meanwhile (adopt does not wait for a pending unpack): that snapshot serves
        const adopted = this.get(chainId);
        if (!adopted || !isExistsError(e)) throw e;
        rmSync(join(this.linkDir, info.link), { force: true });
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
    const temp = join(this.snapshotDir, `.tmp-${randomBytes(6).toString('hex')}`);
    mkdirSync(temp, { mode: 0o700 });
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
