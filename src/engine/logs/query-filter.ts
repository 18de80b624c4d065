import { decodeRecord, entryNano, type LogEntry } from './record.js';
import { compareNano, nanoFromDate } from './timestamp.js';

export interface LogQuery {
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  since?: Date;
  until?: Date;
  /** Last N records (counted before the stream and since filters, as Docker counts them); 'all' or undefined: everything. */
  tail?: number | 'all';
  /** Carried for the API layer, which prints them with `formatLogLine`; the reader returns times either way. */
  timestamps: boolean;
}

/** What to do with one record line: yield the entry, skip it, or end the read (the first record past `until`). */
export type Verdict = LogEntry | 'skip' | 'end';

export function recordFilter(query: LogQuery): (jsonLine: string) => Verdict {
  const since = query.since ? nanoFromDate(query.since) : undefined;
  const until = query.until ? nanoFromDate(query.until) : undefined;
  return (jsonLine) => {
    const entry = decodeRecord(jsonLine);
    if (!entry) return 'skip';
    const at = entryNano(entry);
    if (until && compareNano(at, until) > 0) return 'end';
    if (since && compareNano(at, since) < 0) return 'skip';
    return (entry.stream === 'stdout' ? query.stdout : query.stderr) ? entry : 'skip';
  };
}

/** The record count of `tail`, or undefined for "everything". Negative numbers mean all, as in `docker logs`. */
export function tailCount(tail: LogQuery['tail']): number | undefined {
  return typeof tail === 'number' && tail >= 0 ? Math.floor(tail) : undefined;
}
