import { Transform, type TransformCallback } from 'node:stream';
import type { LogEntry } from './record.js';
import { formatNano } from './timestamp.js';

/**
 * Docker's multiplexed stream (logs and attach without a TTY): each frame is an 8-byte header
 * [stream type, 0, 0, 0, payload size as big-endian uint32] followed by the payload.
 */
export type FramedStream = 'stdin' | 'stdout' | 'stderr';

export const FRAME_HEADER_BYTES = 8;
const STREAM_CODES: Record<FramedStream, number> = { stdin: 0, stdout: 1, stderr: 2 };
const STREAM_NAMES: FramedStream[] = ['stdin', 'stdout', 'stderr'];
const MAX_FRAME_PAYLOAD = 0xffffffff;

export function frameHeader(stream: FramedStream, size: number): Buffer {
  if (size > MAX_FRAME_PAYLOAD) throw new RangeError(`frame payload of ${size} bytes exceeds the 32-bit size field`);
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header[0] = STREAM_CODES[stream];
  header.writeUInt32BE(size, 4);
  return header;
}

export function frame(stream: FramedStream, payload: Buffer): Buffer {
  return Buffer.concat([frameHeader(stream, payload.length), payload]);
}

export interface Frame {
  stream: FramedStream;
  payload: Buffer;
}

/** A malformed multiplexed stream (an unknown stream type, or data ending inside a frame). */
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/** Bytes of a multiplexed stream in (split anywhere), `Frame` objects out; empty frames are dropped. */
export class FrameDecoder extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    try {
      this.emitCompleteFrames();
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.pendingBytes > 0 ? new FrameError(`stream ended inside a frame (${this.pendingBytes} bytes left over)`) : undefined);
  }

  private emitCompleteFrames(): void {
    let data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    let offset = 0;
    while (data.length - offset >= FRAME_HEADER_BYTES) {
      const stream = STREAM_NAMES[data[offset]!];
      if (!stream) throw new FrameError(`unknown stream type ${data[offset]} in frame header`);
      const size = data.readUInt32BE(offset + 4);
      if (data.length - offset - FRAME_HEADER_BYTES < size) break;
      const start = offset + FRAME_HEADER_BYTES;
      if (size > 0) this.push({ stream, payload: data.subarray(start, start + size) } satisfies Frame);
      offset = start + size;
    }
    data = data.subarray(offset);
    this.pending = data.length > 0 ? [data] : [];
    this.pendingBytes = data.length;
  }
}

/** Demultiplexes a framed byte stream: a convenience over `FrameDecoder` for `for await`. */
export async function* decodeFrames(source: AsyncIterable<Buffer>): AsyncGenerator<Frame> {
  const decoder = new FrameDecoder();
  const feeding = (async () => {
    try {
      for await (const chunk of source) if (!decoder.write(chunk)) await new Promise((r) => decoder.once('drain', r));
      decoder.end();
    } catch (e) {
      decoder.destroy(e as Error);
    }
  })();
  yield* decoder as AsyncIterable<Frame>;
  await feeding;
}

/** One log record as `docker logs` prints it: with `-t`, its RFC3339Nano time (9 digits) and a space first. */
export function formatLogLine(entry: LogEntry, timestamps: boolean): Buffer {
  if (!timestamps) return Buffer.from(entry.line);
  const seconds = Math.floor(entry.time.getTime() / 1000);
  return Buffer.from(`${formatNano({ seconds, nanos: entry.nanos })} ${entry.line}`);
}
