import { type NanoTime, parseRfc3339Nano, dateFromNano } from './timestamp.js';

export type LogStream = 'stdout' | 'stderr';

/** One json-file record as read back. `time` has millisecond precision; `nanos` holds the full fraction of its second. */
export interface LogEntry {
  stream: LogStream;
  time: Date;
  /** Nanoseconds within the second of `time` (0..999999999), so `docker logs -t` output keeps all nine digits. */
  nanos: number;
  /** The text, including its '\n' when it had one (a record without one is a piece of a line over 16 KiB, or an unterminated last line). */
  line: string;
}

/** One json-file line: {"log":"...","stream":"stdout","time":"..."} plus the newline that ends the record. */
export function encodeRecord(text: string, stream: LogStream, time: string): string {
  return `{"log":${JSON.stringify(text)},"stream":"${stream}","time":"${time}"}\n`;
}

/** Decodes one record line; undefined for a line that is not a json-file record (a torn write, foreign data). */
export function decodeRecord(jsonLine: string): LogEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonLine);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { log, stream, time } = parsed as Record<string, unknown>;
  if (typeof log !== 'string' || (stream !== 'stdout' && stream !== 'stderr') || typeof time !== 'string') return undefined;
  const at = parseRfc3339Nano(time);
  if (!at) return undefined;
  return { stream, time: dateFromNano(at), nanos: at.nanos, line: log };
}

export function entryNano(entry: LogEntry): NanoTime {
  return { seconds: Math.floor(entry.time.getTime() / 1000), nanos: entry.nanos };
}
