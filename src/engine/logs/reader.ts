import { ChangeWaiter } from './change-waiter.js';
import { FollowEnd, type FollowSources } from './follow-end.js';
import { LiveCursor } from './live-cursor.js';
import { recordFilter, tailCount, type LogQuery, type Verdict } from './query-filter.js';
import type { LogEntry } from './record.js';
import { closeSnapshot, linesOfFile, openSnapshot, type LogSnapshot } from './snapshot.js';
import { completeRecordsEnd, tailAcross } from './tail.js';

/**
 * Reads a json-file log as `docker logs` does: rotated files oldest first, then the live file; `tail` counts across
 * files; with `follow`, waits for new records (and rotations) until the container stops, `until` passes or `signal` aborts.
 * The reader only reads files: however slow its consumer, it never holds up the writer or the container.
 * `onceStopped` must settle only after the writer's `close()` resolved, so that the final drain sees every record.
 */
export async function* readLogs(path: string, query: LogQuery, opts: FollowSources): AsyncGenerator<LogEntry> {
  const snapshot = await openSnapshot(path);
  const accept = recordFilter(query);
  let cursor: LiveCursor | undefined;
  try {
    const history = await readHistory(snapshot, tailCount(query.tail));
    cursor = await LiveCursor.start(path, snapshot.live, history.liveOffset);
    for await (const line of history.lines) {
      const verdict = accept(line);
      if (verdict === 'end' || opts.signal?.aborted) return;
      if (verdict !== 'skip') yield verdict;
    }
    if (tailCount(query.tail) !== undefined && !query.follow) return; // a tail ends where the log ended when it started
    yield* readLive(path, cursor, accept, query, opts);
  } finally {
    await cursor?.close();
    if (!cursor) await snapshot.live?.close();
    await closeSnapshot(snapshot);
  }
}

interface History {
  lines: AsyncIterable<string> | Iterable<string>;
  /** Where the live file's part of the history ends: following starts there. */
  liveOffset: number;
}

async function readHistory(snapshot: LogSnapshot, tail: number | undefined): Promise<History> {
  if (tail === undefined) return { lines: allRotatedLines(snapshot), liveOffset: 0 };
  const liveEnd = snapshot.live ? await completeRecordsEnd(snapshot.live, (await snapshot.live.stat()).size) : 0;
  return { lines: await tailAcross(snapshot.rotated, snapshot.live, liveEnd, tail), liveOffset: liveEnd };
}

async function* allRotatedLines(snapshot: LogSnapshot): AsyncGenerator<string> {
  for (const file of snapshot.rotated) yield* linesOfFile(file);
}

/** The live file from the cursor on: once, or (following) pass after pass until the end is reached and drained. */
async function* readLive(path: string, cursor: LiveCursor, accept: (line: string) => Verdict, query: LogQuery, opts: FollowSources): AsyncGenerator<LogEntry> {
  const waiter = query.follow ? new ChangeWaiter(path) : undefined;
  const end = query.follow ? new FollowEnd(opts, query.until, () => waiter!.notify()) : undefined;
  try {
    for (;;) {
      const lastPass = !end || end.reached; // decided before reading: what was on disk at the end is then read
      for await (const entry of passOverLive(cursor, accept)) {
        if (entry === 'end' || opts.signal?.aborted) return;
        yield entry;
      }
      if (lastPass || end.aborted) return;
      await waiter!.wait();
    }
  } finally {
    end?.dispose();
    waiter?.close();
  }
}

/** Everything now in the live file, following any rotations that happened since the last pass. */
async function* passOverLive(cursor: LiveCursor, accept: (line: string) => Verdict): AsyncGenerator<LogEntry | 'end'> {
  for (;;) {
    yield* acceptedLines(cursor, accept);
    if (!(await cursor.rotated())) return;
    yield* acceptedLines(cursor, accept); // records written to the old file between our read and the rename
    await cursor.switchToNewFile();
  }
}

async function* acceptedLines(cursor: LiveCursor, accept: (line: string) => Verdict): AsyncGenerator<LogEntry | 'end'> {
  for await (const lines of cursor.readAvailable()) {
    for (const line of lines) {
      const verdict = accept(line);
      if (verdict === 'end') return yield verdict;
      if (verdict !== 'skip') yield verdict;
    }
  }
}
