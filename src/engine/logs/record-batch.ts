import { isUtf8 } from 'node:buffer';
import { encodeRecord, type LogStream } from './record.js';

const BATCH_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
const ascii = (text: string) => Buffer.from(text, 'latin1');
const OPEN = ascii('{"log":"');
const CLOSE = ascii('"}\n');
// What follows the text: its escaped newline (or none), the stream, and the start of the time.
const AFTER_TEXT = {
  stdout: { newline: ascii('\\n","stream":"stdout","time":"'), none: ascii('","stream":"stdout","time":"') },
  stderr: { newline: ascii('\\n","stream":"stderr","time":"'), none: ascii('","stream":"stderr","time":"') },
};
const FRAME_BYTES = OPEN.length + AFTER_TEXT.stdout.newline.length + CLOSE.length + 30; // 30: the time

/**
 * Encodes json-file records straight into large buffers, so one write carries many records.
 * The common line (valid UTF-8 needing no JSON escape) is copied byte for byte, never decoded to a string;
 * other lines take JSON.stringify (which also turns invalid UTF-8 into U+FFFD, as Docker does).
 */
export class RecordBatch {
  private current = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  private readonly filled: Buffer[] = [];

  /** Appends the record of line [start, end) of `data`; returns its size in bytes. */
  append(data: Buffer, start: number, end: number, stream: LogStream, time: string): number {
    const hasNewline = end > start && data[end - 1] === NEWLINE;
    const textEnd = hasNewline ? end - 1 : end;
    if (!isPlainJsonText(data, start, textEnd)) return this.appendString(encodeRecord(data.toString('utf8', start, end), stream, time));
    this.reserve(textEnd - start + FRAME_BYTES);
    const begin = this.used;
    this.put(OPEN);
    this.used += data.copy(this.current, this.used, start, textEnd);
    this.put(hasNewline ? AFTER_TEXT[stream].newline : AFTER_TEXT[stream].none);
    this.used += this.current.write(time, this.used, 'latin1');
    this.put(CLOSE);
    return this.used - begin;
  }

  get isEmpty(): boolean {
    return this.used === 0 && this.filled.length === 0;
  }

  /** At least one buffer is full: worth writing without waiting for the end of the event-loop turn. */
  get hasFullBuffer(): boolean {
    return this.filled.length > 0;
  }

  /** Everything appended so far, in order; the batch starts empty again. */
  take(): Buffer[] {
    const taken = this.filled.splice(0);
    if (this.used > 0) {
      taken.push(this.current.subarray(0, this.used));
      this.current = Buffer.allocUnsafe(BATCH_BYTES);
      this.used = 0;
    }
    return taken;
  }

  private appendString(record: string): number {
    this.reserve(record.length * 3); // a UTF-16 unit never takes more than 3 UTF-8 bytes
    const written = this.current.write(record, this.used, 'utf8');
    this.used += written;
    return written;
  }

  private put(constant: Buffer): void {
    this.current.set(constant, this.used);
    this.used += constant.length;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.current.length) return;
    if (this.used > 0) this.filled.push(this.current.subarray(0, this.used));
    this.current = Buffer.allocUnsafe(Math.max(BATCH_BYTES, bytes));
    this.used = 0;
  }
}

/** True when bytes [start, end) can go between JSON quotes as they are: no '"', '\\' or control byte, valid UTF-8. */
function isPlainJsonText(data: Buffer, start: number, end: number): boolean {
  let ascii = true;
  for (let i = start; i < end; i++) {
    const byte = data[i]!;
    if (byte < 0x20 || byte === 0x22 || byte === 0x5c) return false;
    if (byte >= 0x80) ascii = false;
  }
  return ascii || isUtf8(data.subarray(start, end));
}
