/**
 * Worker-thread entry of the layer workers: unpacks stored blobs, and takes in downloads (hash, write and unpack
 * as the bytes arrive), so that this work runs beside the engine's event loop, on another core. A worker runs
 * any number of jobs at once; each reply says how its job ended, user errors marked as such.
 */
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, fsync, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { isUserError } from '../errors.js';
import { detectCompression } from './compression.js';
import { unpackLayer, unpackLayerStream, type UnpackResult } from './layer-unpack.js';
import type { IngestAck, IngestInput, IngestResult, LayerJob, LayerJobReply, SerializedError } from './layer-worker-protocol.js';

/** Bytes of a blob buffered ahead of the disk (written together, in one writev) and ahead of the unpack. */
const BUFFER_AHEAD = 4 * 1024 * 1024;
/** Bytes needed to tell the compression from the blob's head. */
const MAGIC_BYTES = 4;

const port = parentPort;
if (!port) throw new Error('layer-worker runs as a worker thread only');

port.on('message', (job: LayerJob) => {
  const work: Promise<UnpackResult | IngestResult> = job.kind === 'unpack' ? unpackLayer(job.blobPath, job.target) : ingest(job);
  work.then(
    (result): void => port.postMessage({ id: job.id, result } satisfies LayerJobReply),
    (e: unknown): void => port.postMessage({ id: job.id, error: serialize(e) } satisfies LayerJobReply),
  );
});

function serialize(e: unknown): SerializedError {
  const error = e as Error | undefined;
  return { message: error?.message ?? String(e), user: isUserError(e), stack: error?.stack };
}

class DownloadAborted extends Error {}

/** The chunks the engine posts on `input`, until its end (or an abort, thrown). */
async function* chunksFrom(input: MessagePort): AsyncGenerator<Buffer> {
  const queue: IngestInput[] = [];
  let wake: (() => void) | undefined;
  input.on('message', (message: IngestInput) => {
    queue.push(message);
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift()!;
      if ('end' in message) return;
      if ('abort' in message) throw new DownloadAborted('download aborted');
      // One buffer per batch: the decompressor and the file take big writes far faster than many small ones.
      yield message.chunks.length === 1 ? Buffer.from(message.chunks[0]!.buffer, message.chunks[0]!.byteOffset, message.chunks[0]!.byteLength) : Buffer.concat(message.chunks);
    }
  } finally {
    input.close();
  }
}

/** The unpack side of an ingest: started once the head tells the compression; stops being fed if it fails. */
class StreamedUnpack {
  private readonly input = new PassThrough({ highWaterMark: BUFFER_AHEAD });
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private job: Promise<UnpackResult> | undefined;
  private failure: unknown;
  private over = false;

  constructor(private readonly target: string) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.over) return;
    if (!this.job) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < MAGIC_BYTES) return;
      chunk = Buffer.concat(this.head);
      this.start(chunk);
    }
    if (!this.input.write(chunk)) await Promise.race([once(this.input, 'drain'), this.settled()]);
  }

  async end(): Promise<{ unpacked: UnpackResult | undefined; unpackError: SerializedError | undefined }> {
    if (!this.job) this.start(Buffer.concat(this.head));
    if (!this.over) this.input.end();
    const unpacked = await this.job!.catch(() => undefined);
    return { unpacked, unpackError: this.failure === undefined ? undefined : serialize(this.failure) };
  }

  /** Stops the unpack (the download failed) and waits until it has let go of its files. */
  async abort(): Promise<void> {
    if (!this.job) return;
    if (!this.over) this.input.destroy(new DownloadAborted('download aborted'));
    await this.settled();
  }

  private start(head: Buffer): void {
    this.job = unpackLayerStream(this.input, detectCompression(head), this.target);
    this.job.catch((e: unknown) => {
      this.failure = e;
      this.over = true;
      this.input.resume(); // nobody reads it any more: let writes through
    });
  }

  private settled(): Promise<unknown> {
    return this.job!.then(() => undefined, () => undefined);
  }
}

async function ingest(job: Extract<LayerJob, { kind: 'ingest' }>): Promise<IngestResult> {
  const hash = createHash('sha256');
  let size = 0;
  // Opened before streaming: a lazily opened stream could create the file after a failed ingest was cleaned up.
  const fd = openSync(job.blobTemp, 'wx', 0o644);
  const file = new BlobFile(fd, job.blobTemp);
  const unpack = job.unpackTarget === undefined ? undefined : new StreamedUnpack(job.unpackTarget);
  try {
    for await (const chunk of chunksFrom(job.port)) {
      hash.update(chunk);
      size += chunk.length;
      await Promise.all([file.write(chunk), unpack?.write(chunk)]);
      job.port.postMessage({ ack: chunk.length } satisfies IngestAck);
    }
    await file.finish();
  } catch (e) {
    await file.stop();
    await unpack?.abort();
    throw e;
  } finally {
    closeSync(fd);
  }
  const outcome = unpack ? await unpack.end() : { unpacked: undefined, unpackError: undefined };
  return { digest: 'sha256:' + hash.digest('hex'), size, ...outcome };
}

/** The blob's temp file, written through a deep buffer (one writev per batch of network chunks). The fd stays the caller's. */
class BlobFile {
  private readonly stream: WriteStream;
  private readonly failed: Promise<never>;

  constructor(private readonly fd: number, path: string) {
    this.stream = createWriteStream(path, { fd, autoClose: false, highWaterMark: BUFFER_AHEAD });
    this.failed = new Promise<never>((_, reject) => this.stream.once('error', reject));
    this.failed.catch(() => undefined); // observed by the next write or finish
  }

  async write(chunk: Buffer): Promise<void> {
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, 'drain'), this.failed]);
  }

  /** Everything written and on disk. */
  async finish(): Promise<void> {
    this.stream.end();
    await Promise.race([once(this.stream, 'finish'), this.failed]);
    await promisify(fsync)(this.fd);
  }

  /** Waits until no write is in flight any more, so that the fd can be closed. */
  async stop(): Promise<void> {
    if (this.stream.closed) return;
    const closed = new Promise((resolve) => this.stream.once('close', resolve));
    this.stream.destroy();
    await closed;
  }
}
