import { statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { RecordBatch } from './record-batch.js';
import { compressFile, openForAppend, shiftRotatedFiles } from './file-set.js';
import { LineSplitter } from './line-splitter.js';
import type { LogOptions } from './log-options.js';
import type { LogStream } from './record.js';
import { MonotonicClock, NanoFormatter } from './timestamp.js';

// Past this many bytes not yet on disk, the container's pipes are paused (the disk is the bottleneck, never a reader).
const PAUSE_ABOVE_BYTES = 8 * 1024 * 1024;
const RESUME_BELOW_BYTES = 1024 * 1024;

// close() waits this long for the pipes to reach end-of-file (output still in the kernel's pipe buffer) before giving up on them.
const END_GRACE_MS = 2000;

const ROTATE = Symbol('rotate');
type QueueItem = Buffer | typeof ROTATE;

interface Source {
  stream: NodeJS.ReadableStream;
  splitter: LineSplitter;
  ended: Promise<void>;
}

export interface WriterHooks {
  /** A write, rotation or compression failed; the writer goes on (the affected records are lost, as with Docker). */
  onError?: (error: Error) => void;
  /** How long close() waits for attached streams to end (default 2 s). */
  endGraceMs?: number;
}

/**
 * Docker's json-file log driver: one JSON record per line of a container's stdout/stderr, rotated at max-size.
 * Records are encoded on the event loop into batches and written by one async loop; rotation points are decided
 * per record (as Docker does) and travel through the same queue, so files never hold more than one record past max-size.
 */
export class JsonFileLogWriter {
  private readonly clock = new MonotonicClock();
  private readonly formatter = new NanoFormatter();
  private readonly batch = new RecordBatch();
  private readonly queue: QueueItem[] = [];
  private readonly sources = new Set<Source>();
  private unwrittenBytes = 0;
  private fileSize: number;
  private handle: FileHandle | undefined;
  private draining: Promise<void> | undefined;
  private flushScheduled = false;
  private compressing: Promise<void> = Promise.resolve();
  private paused = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** The most recent write/rotation failure, for `inspect`-style reporting. */
  lastError: Error | undefined;

  constructor(
    private readonly path: string,
    private readonly options: LogOptions,
    private readonly hooks: WriterHooks = {},
  ) {
    this.fileSize = existingSize(path); // a restarted container appends to its log: rotation must count what is there
  }

  attach(stream: NodeJS.ReadableStream, name: LogStream): void {
    let firstLineOfRead = true;
    const splitter = new LineSplitter((data, start, end) => {
      this.record(data, start, end, name, firstLineOfRead);
      firstLineOfRead = false;
    });
    const source: Source = { stream, splitter, ended: endOf(stream, (e) => this.fail(e)) };
    this.sources.add(source);
    void source.ended.then(() => this.detach(source));
    stream.on('data', (chunk: Buffer | string) => {
      firstLineOfRead = true;
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    if (this.paused) stream.pause();
  }

  /**
   * Call when the container has exited: waits for its pipes to reach end-of-file (for at most the grace period),
   * logs unterminated last lines, and resolves once everything is on disk.
   */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    await this.waitForSourcesToEnd();
    for (const source of [...this.sources]) this.detach(source);
    this.closed = true;
    this.enqueueBatch();
    while (this.draining || this.queue.length > 0) await this.kick();
    await this.compressing;
    await this.handle?.close();
    this.handle = undefined;
  }

  private async waitForSourcesToEnd(): Promise<void> {
    if (this.sources.size === 0) return;
    this.resumeSources(); // a paused pipe never reaches its end
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.hooks.endGraceMs ?? END_GRACE_MS)));
    await Promise.race([Promise.all([...this.sources].map((s) => s.ended)), grace]);
    clearTimeout(timer);
  }

  private detach(source: Source): void {
    if (!this.sources.delete(source)) return;
    source.splitter.end();
    if (this.paused) source.stream.resume(); // never leave a pipe paused behind us
  }

  /** One line; the lines of one pipe read share one clock reading, 1 ns apart, so times stay strictly increasing. */
  private record(data: Buffer, start: number, end: number, stream: LogStream, firstLineOfRead: boolean): void {
    if (this.closed) return;
    const max = this.options.maxSizeBytes;
    if (max !== undefined && this.fileSize >= max) this.markRotation();
    const time = firstLineOfRead ? this.clock.now() : this.clock.tick();
    const bytes = this.batch.append(data, start, end, stream, this.formatter.format(time));
    this.fileSize += bytes;
    this.unwrittenBytes += bytes;
    if (this.batch.hasFullBuffer) this.enqueueBatch();
    this.scheduleFlush();
    if (this.unwrittenBytes > PAUSE_ABOVE_BYTES) this.pauseSources();
  }

  private markRotation(): void {
    this.enqueueBatch();
    this.queue.push(ROTATE);
    this.fileSize = 0;
  }

  private enqueueBatch(): void {
    if (this.batch.isEmpty) return;
    this.queue.push(...this.batch.take());
    void this.kick();
  }

  // One flush per turn of the event loop: all lines of the chunks read in that turn go out in one writev.
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.enqueueBatch();
    });
  }

  private kick(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.queue[0] === ROTATE) {
        this.queue.shift();
        await this.rotate();
        continue;
      }
      const buffers = this.takeBuffers();
      await this.writeAll(buffers);
      this.unwrittenBytes -= buffers.reduce((sum, b) => sum + b.length, 0);
      if (this.unwrittenBytes < RESUME_BELOW_BYTES) this.resumeSources();
    }
  }

  /** The buffers at the head of the queue, up to the next rotation point. */
  private takeBuffers(): Buffer[] {
    const end = this.queue.indexOf(ROTATE);
    return this.queue.splice(0, end === -1 ? this.queue.length : end) as Buffer[];
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    try {
      this.handle ??= await openForAppend(this.path);
      let pending = buffers;
      while (pending.length > 0) {
        const { bytesWritten } = await this.handle.writev(pending);
        pending = dropWritten(pending, bytesWritten);
      }
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private async rotate(): Promise<void> {
    const maxFiles = this.options.maxFiles ?? 1;
    try {
      await this.handle?.close();
      this.handle = undefined;
      await this.compressing; // path.1 must be compressed before it becomes path.2
      await shiftRotatedFiles(this.path, maxFiles);
      if (this.options.compress && maxFiles > 1) this.compressing = compressFile(`${this.path}.1`).catch((e) => this.fail(e));
      this.handle = await openForAppend(this.path); // create the new live file now, so followers find it
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private pauseSources(): void {
    if (this.paused) return;
    this.paused = true;
    for (const source of this.sources) source.stream.pause();
  }

  private resumeSources(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const source of this.sources) source.stream.resume();
  }

  private fail(error: Error): void {
    this.lastError = error;
    this.hooks.onError?.(error);
  }
}

/** Settles when the stream can give no more data: its end, its closing, or an error (reported, not thrown). */
function endOf(stream: NodeJS.ReadableStream, onError: (e: Error) => void): Promise<void> {
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', (e: Error) => {
      onError(e);
      resolve();
    });
  });
}

function existingSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** What is left of `buffers` after the first `bytes` were written (writev may write less than asked). */
function dropWritten(buffers: Buffer[], bytes: number): Buffer[] {
  let skip = bytes;
  let index = 0;
  while (index < buffers.length && skip >= buffers[index]!.length) skip -= buffers[index++]!.length;
  const rest = buffers.slice(index);
  if (rest.length > 0 && skip > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}
