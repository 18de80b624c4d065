// Read buffers for the target side of a TCP relay (net's `onread`): the kernel reads straight into them and no
// buffer is allocated per read. A connection reading small chunks holds a small buffer; one that fills its
// buffer (a bulk transfer) moves to large ones, which cut the number of read/write rounds per byte.

const SMALL = 16 * 1024;
const LARGE = 1024 * 1024;
/** Large buffers kept for reuse across all connections once their writes are done (bounded memory). */
const POOL_LIMIT = 16;
const largePool: Buffer[] = [];

export class AdaptiveReadBuffers {
  private bulk = false;
  /** A small buffer whose write is done, for the next small read. */
  private spareSmall: Buffer | undefined;

  /** The next buffer to read into. */
  next(): Buffer {
    if (!this.bulk) {
      const spare = this.spareSmall ?? Buffer.allocUnsafe(SMALL);
      this.spareSmall = undefined;
      return spare;
    }
    return largePool.pop() ?? Buffer.allocUnsafe(LARGE);
  }

  /** Called for each read, before its buffer is handed to a write: a full buffer means more is waiting. */
  observe(bytesRead: number, buffer: Buffer): void {
    this.bulk = bytesRead === buffer.length || (this.bulk && bytesRead > SMALL);
  }

  /** The buffer's write finished: a large one may serve another read. */
  release(buffer: Buffer): void {
    if (buffer.length === SMALL) this.spareSmall = buffer;
    else if (largePool.length < POOL_LIMIT) largePool.push(buffer);
  }
}
