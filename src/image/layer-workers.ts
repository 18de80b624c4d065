/**
 * Layer work on worker threads. A pull's bytes arrive on the engine's event loop; hashing them, writing them and
 * unpacking them (inflate, diff_id hash, tar parsing, file creation) is several times that work, and on workers it
 * runs on the other cores. Workers start on first use, take any number of jobs each (the least busy one gets the
 * next), and stay, unreferenced while idle so that they never keep a process alive. Where the worker program is
 * not beside this module (the bundled CLI), `available` is false and callers do the work in their own thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { InternalError, UserError } from '../errors.js';
import { unpackLayer, type UnpackResult } from './layer-unpack.js';
import type { IngestAck, IngestInput, IngestResult, LayerJob, LayerJobReply, SerializedError } from './layer-worker-protocol.js';

const WORKER_PROGRAM = fileURLToPath(new URL('./layer-worker.js', import.meta.url));
const WORKERS = Math.max(1, Math.min(3, availableParallelism()));
/** Unacknowledged download bytes per ingest before the download is paused, and the level it resumes at. */
const INGEST_HIGH_WATER = 16 * 1024 * 1024;
const INGEST_LOW_WATER = 8 * 1024 * 1024;
/** Bytes of network chunks sent to the worker in one message. */
const INGEST_BATCH = 1024 * 1024;

type JobSpec = LayerJob extends infer J ? (J extends LayerJob ? Omit<J, 'id'> : never) : never;

interface Pending {
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

class WorkerPool {
  private readonly workers = new Map<Worker, Map<number, Pending>>();
  private nextId = 1;

  run<T>(spec: JobSpec, transfer: MessagePort[] = []): Promise<T> {
    const worker = this.pick();
    const jobs = this.workers.get(worker)!;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      jobs.set(id, { resolve: resolve as (result: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ ...spec, id } as LayerJob, transfer);
    });
  }

  /** The least busy worker, or a new one while there are fewer than WORKERS and all have work. */
  private pick(): Worker {
    let best: Worker | undefined;
    for (const [worker, jobs] of this.workers) if (!best || jobs.size < this.workers.get(best)!.size) best = worker;
    if (best && (this.workers.get(best)!.size === 0 || this.workers.size >= WORKERS)) return best;
    return this.spawn();
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_PROGRAM);
    const jobs = new Map<number, Pending>();
    this.workers.set(worker, jobs);
    worker.unref();
    worker.on('message', (reply: LayerJobReply) => {
      const job = jobs.get(reply.id);
      jobs.delete(reply.id);
      if (jobs.size === 0) worker.unref();
      if (!job) return;
      if ('result' in reply) job.resolve(reply.result);
      else job.reject(deserialize(reply.error));
    });
    // A worker that dies (a crash, not a refused layer) fails its jobs; later jobs get a fresh worker.
    const lost = (cause: unknown) => {
      if (!this.workers.delete(worker)) return;
      const error = new InternalError(`layer worker failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
      for (const job of jobs.values()) job.reject(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exited with code ${code}`)));
    return worker;
  }
}

export function deserialize(error: SerializedError): Error {
  const e = error.user ? new UserError(error.message) : new InternalError(error.message);
  if (error.stack) e.stack = error.stack;
  return e;
}

let pool: WorkerPool | undefined;
const workers = (): WorkerPool => (pool ??= new WorkerPool());

/** Whether layer work can go to worker threads here. */
export const workersAvailable = existsSync(WORKER_PROGRAM);

/** `unpackLayer` on a worker thread when there are workers, else here. */
export function unpackLayerOffThread(blobPath: string, target: string): Promise<UnpackResult> {
  if (!workersAvailable) return unpackLayer(blobPath, target);
  return workers().run<UnpackResult>({ kind: 'unpack', blobPath, target });
}

/** A blob being taken in by a worker: fed chunk by chunk, then ended (its result) or aborted. */
export interface LayerIngest {
  /** Hands a chunk on (it is moved, not copied: the caller must not use it afterwards); waits while the worker is far behind. */
  write(chunk: Buffer): Promise<void>;
  end(): Promise<IngestResult>;
  /** Stops the job and waits until the worker has let go of its files. */
  abort(): Promise<void>;
}

/** Starts a worker writing a blob to `blobTemp` (and unpacking it into `unpackTarget`) as its bytes are written. */
export function startIngest(blobTemp: string, unpackTarget: string | undefined): LayerIngest {
  const { port1, port2 } = new MessageChannel();
  const job = workers().run<IngestResult>({ kind: 'ingest', blobTemp, unpackTarget, port: port2 }, [port2]);
  let unacked = 0;
  let resume: (() => void) | undefined;
  port1.on('message', (message: IngestAck) => {
    unacked -= message.ack;
    if (unacked <= INGEST_LOW_WATER) resume?.();
  });
  port1.unref(); // the job's promise is what a caller waits on
  let failed = false; // the worker gave up: later bytes are not worth sending, the next write throws its error
  const stopped = job.then(() => undefined, () => void (failed = true)).finally(() => port1.close());
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    port1.postMessage({ chunks: batch } satisfies IngestInput, batch.map((chunk) => chunk.buffer as ArrayBuffer));
    unacked += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  return {
    async write(chunk) {
      if (failed) await job; // throws the worker's error
      batch.push(ownBuffer(chunk));
      batchBytes += chunk.byteLength;
      if (batchBytes < INGEST_BATCH) return;
      flush();
      if (unacked <= INGEST_HIGH_WATER) return;
      await Promise.race([new Promise<void>((resolve) => (resume = resolve)), job]);
      resume = undefined;
    },
    end() {
      flush();
      port1.postMessage({ end: true } satisfies IngestInput);
      return job;
    },
    async abort() {
      port1.postMessage({ abort: true } satisfies IngestInput);
      await stopped;
    },
  };
}

/**
 * The chunk as a view of an ArrayBuffer of its own, which can be transferred: network chunks usually are; a slice
 * of a bigger buffer (shared with other chunks, or Node's pool) is copied.
 */
function ownBuffer(chunk: Buffer): Uint8Array {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) return chunk;
  return new Uint8Array(chunk);
}
