/** Layer compression: told from a blob's first bytes, undone as a stream. */
import { openSync, readSync, closeSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress } from 'fzstd';

export type Compression = 'none' | 'gzip' | 'zstd';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

function startsWith(head: Buffer, magic: number[]): boolean {
  return magic.every((byte, i) => head[i] === byte);
}

export function detectCompression(head: Buffer): Compression {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

export function detectFileCompression(path: string): Compression {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const length = readSync(fd, head, 0, head.length, 0);
    return detectCompression(head.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

/**
 * Chunk size for reading layer blobs and for zlib's output: zlib works in the thread pool, one round trip per
 * output chunk, and at its default 16 KiB those round trips cost more than inflating (about 4x slower on a
 * 50 MB layer).
 */
export const STREAM_CHUNK = 1024 * 1024;

/** A stream that undoes the compression, or undefined for plain tar. Feed it chunks of about STREAM_CHUNK. */
export function decompressor(compression: Compression): Transform | undefined {
  if (compression === 'none') return undefined;
  if (compression === 'gzip') return zlib.createGunzip({ chunkSize: STREAM_CHUNK });
  return new ZstdDecompress();
}

/** A compressed stream that does not decode (damaged, truncated). zlib's own errors carry Z_* codes instead. */
export class DecompressionError extends Error {
  readonly code = 'ERR_ZSTD_DATA';
  override readonly name = 'DecompressionError';
}

/** zlib's errors (bad header, truncated data) carry codes like Z_DATA_ERROR; the zstd decoder's are DecompressionErrors. */
export function isDecompressionError(e: unknown): boolean {
  if (e instanceof DecompressionError) return true;
  return typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('Z_');
}

/**
 * Input is handed to the decoder this many bytes at a time, and the output read out between pieces: the decoder
 * emits whole blocks (up to 128 KiB each, from as little as 4 bytes of input), so a small piece bounds what one
 * step can produce (256 blocks, 32 MiB at worst) before backpressure gets a say.
 */
const ZSTD_PIECE = 1024;

/**
 * zstd decompression (every frame of the stream, skippable frames skipped) as a Node Transform, on fzstd's
 * streaming decoder. Output waits for the reader: when the readable side is full, the rest of the current input
 * chunk waits for `_read`. Whatever the decoder throws on bad input, and a stream that ends inside a frame,
 * become DecompressionErrors. Frame checksums are not verified (fzstd skips them): the layer's diff_id is.
 */
class ZstdDecompress extends Transform {
  private readonly decoder: Decompress;
  private full = false; // the last push found the readable buffer at its high-water mark
  private waiting: (() => void) | undefined; // the rest of an input chunk, waiting for the reader

  constructor() {
    super({ readableHighWaterMark: 512 * 1024 });
    this.decoder = new Decompress((data) => {
      // Every block comes in a fresh array, so its memory can be handed on without a copy.
      if (data.length > 0 && !this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength))) this.full = true;
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.feed(chunk, 0, callback);
  }

  private feed(chunk: Buffer, offset: number, callback: TransformCallback): void {
    try {
      while (offset < chunk.length) {
        const end = Math.min(chunk.length, offset + ZSTD_PIECE);
        this.full = false;
        this.decoder.push(chunk.subarray(offset, end));
        offset = end;
        if (this.full && offset < chunk.length && !this.destroyed) {
          const from = offset;
          this.waiting = () => this.feed(chunk, from, callback);
          return;
        }
      }
    } catch (e) {
      callback(zstdError(e));
      return;
    }
    callback();
  }

  override _read(size: number): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
    // Transform's own: lets the next chunk in once this one is done (also when finishing it pushed nothing).
    super._read(size);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true); // throws when the input stopped inside a frame
    } catch (e) {
      callback(zstdError(e));
      return;
    }
    callback();
  }
}

function zstdError(e: unknown): DecompressionError {
  const message = e instanceof Error ? e.message : String(e);
  return new DecompressionError(`zstd: ${message}`);
}
