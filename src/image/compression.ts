/** Layer compression: told from a blob's first bytes, undone as a stream. */
import { openSync, readSync, closeSync } from 'node:fs';
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { UserError } from '../errors.js';

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

/** A stream that undoes the compression, or undefined for plain tar. */
export function decompressor(compression: Compression): Transform | undefined {
  if (compression === 'none') return undefined;
  if (compression === 'gzip') return zlib.createGunzip();
  const zstd = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  if (!zstd) throw new UserError(`zstd-compressed layers need Node.js >= 22.15 (this is ${process.version})`);
  return zstd();
}

/** zlib's errors (bad header, truncated data) carry codes like Z_DATA_ERROR. */
export function isDecompressionError(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('Z_');
}
