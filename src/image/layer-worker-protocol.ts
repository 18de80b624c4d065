/** Messages between the engine and its layer worker threads (`layer-workers.ts` ↔ `layer-worker.ts`). */
import type { MessagePort } from 'node:worker_threads';
import type { UnpackResult } from './layer-unpack.js';

/** An error crossing the thread boundary: its kind (user or internal) survives, so the CLI prints it right. */
export interface SerializedError {
  message: string;
  user: boolean;
  stack: string | undefined;
}

export type LayerJob =
  /** Unpack a stored blob into `target` (an empty directory). */
  | { id: number; kind: 'unpack'; blobPath: string; target: string }
  /**
   * Write a blob arriving on `port` (IngestInput messages) to `blobTemp`, hashing it, and unpack it into
   * `unpackTarget` on the way when given. Each chunk is acknowledged (IngestAck) once handled.
   */
  | { id: number; kind: 'ingest'; blobTemp: string; unpackTarget: string | undefined; port: MessagePort };

export interface IngestResult {
  digest: string;
  size: number;
  unpacked: UnpackResult | undefined;
  /** Why the unpack failed: reported beside the digest, which is checked first (a damaged blob is refused as such). */
  unpackError: SerializedError | undefined;
}

export type LayerJobReply = { id: number; result: UnpackResult | IngestResult } | { id: number; error: SerializedError };

/** Chunks go in batches (a message per network chunk costs more than the chunk's hashing). */
export type IngestInput = { chunks: Uint8Array[] } | { end: true } | { abort: true };

export interface IngestAck {
  ack: number;
}
