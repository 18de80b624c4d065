/**
 * The OCI content store: immutable blobs named by their sha256 digest under <root>/blobs/sha256/<hex>.
 * Every write streams into <root>/ingest, is hashed and counted on the way, and is renamed into place only
 * when digest and size match what the caller expected: a bad download or tarball never lands as a blob.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, openSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';
import { checkDigest, digestHex } from './digest.js';
import { fsyncDir } from '../util/atomic-write.js';

export interface BlobInfo {
  digest: string;
  size: number;
}

/** What the writer promised: the blob is refused unless it matches. */
export interface Expected {
  digest?: string;
  size?: number;
}

export type BlobSource = Buffer | Readable | AsyncIterable<Buffer | Uint8Array>;

export class ContentStore {
  private readonly blobDir: string;
  private readonly ingestDir: string;

  constructor(readonly root: string) {
    this.blobDir = join(root, 'blobs', 'sha256');
    this.ingestDir = join(root, 'ingest');
    mkdirSync(this.blobDir, { recursive: true });
    mkdirSync(this.ingestDir, { recursive: true });
  }

  path(digest: string): string {
    return join(this.blobDir, digestHex(digest));
  }

  has(digest: string): boolean {
    return existsSync(this.path(digest));
  }

  size(digest: string): number {
    return statSync(this.path(digest)).size;
  }

  /** The whole blob; for small ones (configs, manifests). Throws a UserError when absent. */
  get(digest: string): Buffer {
    this.mustHave(digest);
    return readFileSync(this.path(digest));
  }

  getJson<T = unknown>(digest: string): T {
    return JSON.parse(this.get(digest).toString('utf8')) as T;
  }

  openRead(digest: string): Readable {
    this.mustHave(digest);
    return createReadStream(this.path(digest));
  }

  /** Stores a blob, verifying it against `expected` (a digest string or digest and size) before it appears. */
  async put(source: BlobSource, expected?: string | Expected): Promise<BlobInfo> {
    const want = typeof expected === 'string' ? { digest: expected } : (expected ?? {});
    if (want.digest !== undefined) checkDigest(want.digest);
    if (want.digest !== undefined && this.has(want.digest)) {
      // Already stored (and verified when it was): drain the source so a producer is not left hanging.
      const info = await this.hashAndWrite(source, undefined);
      verify(info, want);
      return info;
    }
    const temp = join(this.ingestDir, randomBytes(8).toString('hex'));
    try {
      const info = await this.hashAndWrite(source, temp);
      verify(info, want);
      this.commit(temp, info.digest);
      return info;
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** A fresh path in the ingest dir, for a blob written elsewhere (a worker) and then handed to `commitFile`. */
  ingestPath(): string {
    return join(this.ingestDir, randomBytes(8).toString('hex'));
  }

  /**
   * Makes the file at `temp` (from `ingestPath`, written and fsynced, hashed while written: `actual`) the blob,
   * if it is what was `expected`; otherwise removes it and throws, as `put` does.
   */
  commitFile(temp: string, actual: BlobInfo, expected: Expected): void {
    try {
      verify(actual, expected);
      this.commit(temp, actual.digest);
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** Removes a blob; false when it was not there. */
  delete(digest: string): boolean {
    const path = this.path(digest);
    if (!existsSync(path)) return false;
    rmSync(path);
    return true;
  }

  list(): string[] {
    return readdirSync(this.blobDir).map((hex) => `sha256:${hex}`);
  }

  private mustHave(digest: string): void {
    if (!this.has(digest)) throw new UserError(`blob ${digest} not found in the content store`);
  }

  /** Streams the source to `temp` (or nowhere) while hashing; fsyncs the file before returning. */
  private async hashAndWrite(source: BlobSource, temp: string | undefined): Promise<BlobInfo> {
    const hash = createHash('sha256');
    let size = 0;
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    const counted = async function* (chunks: AsyncIterable<Buffer | Uint8Array>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    };
    if (temp === undefined) {
      for await (const _ of counted(input)) void _;
    } else {
      // Opened before streaming: a lazily opened stream could create the file after a failed put cleaned up.
      const fd = openSync(temp, 'wx', 0o644);
      // A deep buffer: chunks that arrive while a write is in flight go out together in one writev, instead of
      // one thread-pool write per 64 KiB network chunk (which costs a pull more than its hashing).
      await pipeline(input, counted, createWriteStream(temp, { fd, highWaterMark: WRITE_BUFFER }));
      const handle = await open(temp, 'r');
      await handle.sync().finally(() => handle.close());
    }
    return { digest: 'sha256:' + hash.digest('hex'), size };
  }

  private commit(temp: string, digest: string): void {
    const target = this.path(digest);
    renameSync(temp, target); // same digest already there: identical content, rename just replaces it
    fsyncDir(this.blobDir);
  }
}

/** Bytes a blob write may buffer ahead of the disk. */
const WRITE_BUFFER = 4 * 1024 * 1024;

/** Throws the content store's digest or size mismatch (a UserError) unless `actual` is what was `expected`. */
export function verify(actual: BlobInfo, expected: Expected): void {
  if (expected.digest !== undefined && expected.digest !== actual.digest) {
    throw new UserError(`digest mismatch: expected ${expected.digest}, got ${actual.digest}`);
  }
  if (expected.size !== undefined && expected.size !== actual.size) {
    throw new UserError(`size mismatch for ${actual.digest}: expected ${expected.size} bytes, got ${actual.size}`);
  }
}
