/** A streaming tar writer for archives we make from memory and store blobs (ustar headers via node-tar). */
import type { Readable, Writable } from 'node:stream';
import { Header } from 'tar';
import { InternalError } from '../../errors.js';

const BLOCK = 512;
const MTIME = new Date(0); // reproducible archives: the same images give the same bytes

export class TarWriter {
  constructor(private readonly out: Writable) {}

  async directory(path: string): Promise<void> {
    await this.write(header(path.endsWith('/') ? path : `${path}/`, 'Directory', 0));
  }

  async file(path: string, data: Buffer | string): Promise<void> {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
    await this.write(header(path, 'File', bytes.length));
    await this.write(bytes);
    await this.write(padding(bytes.length));
  }

  /** A file whose bytes come from a stream of exactly `size` bytes (a blob). */
  async stream(path: string, size: number, source: Readable): Promise<void> {
    await this.write(header(path, 'File', size));
    let written = 0;
    for await (const chunk of source) {
      written += (chunk as Buffer).length;
      await this.write(chunk as Buffer);
    }
    if (written !== size) throw new InternalError(`${path}: ${written} bytes, expected ${size}`);
    await this.write(padding(size));
  }

  /** The two zero blocks that end an archive. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(2 * BLOCK));
  }

  /** Writes with back-pressure, so a slow reader does not make us buffer whole layers. */
  private async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    if (this.out.destroyed) throw new Error('archive output closed');
    if (!this.out.write(chunk)) await drained(this.out);
  }
}

function header(path: string, type: 'File' | 'Directory', size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  new Header({ path, type, size, mode: type === 'Directory' ? 0o755 : 0o644, mtime: MTIME, uid: 0, gid: 0 }).encode(block, 0);
  return block;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Resolves on 'drain'; rejects when the reader went away first (a client that hung up). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error('archive output closed'));
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}
