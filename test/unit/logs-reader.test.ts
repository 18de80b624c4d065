import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { readLogs, type LogEntry, type LogQuery } from '../../src/engine/logs/json-file.js';
import { collect, fakeContainer, logDir, tick } from './logs-helpers.js';

const ALL: LogQuery = { follow: false, stdout: true, stderr: true, timestamps: false };
const STOPPED = { isRunning: () => false, onceStopped: Promise.resolve() };

/** A container that is running until `stop()`: what readLogs needs to know about it. */
function runningState() {
  let running = true;
  let stop!: () => void;
  const onceStopped = new Promise<void>((resolve) => (stop = resolve));
  return { isRunning: () => running, onceStopped, stop: () => ((running = false), stop()) };
}

const lines = (entries: LogEntry[]) => entries.map((e) => e.line);

function record(log: string, stream: string, time: string): string {
  return `${JSON.stringify({ log, stream, time })}\n`;
}

test('reads every record of rotated files oldest first, then the live file', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path, { maxSizeBytes: 400, maxFiles: 10 });
    for (let i = 0; i < 30; i++) {
      c.stdout.write(`line ${i}\n`);
      await tick();
    }
    await c.exit();
    const entries = await collect(readLogs(tmp.path, ALL, STOPPED));
    assert.deepEqual(lines(entries), Array.from({ length: 30 }, (_, i) => `line ${i}\n`));
  } finally {
    await tmp.remove();
  }
});

test('tail=N counts across rotated files (plain and gzipped)', async () => {
  for (const compress of [false, true]) {
    const tmp = await logDir();
    try {
      const c = fakeContainer(tmp.path, { maxSizeBytes: 300, maxFiles: 20, compress });
      for (let i = 0; i < 40; i++) {
        c.stdout.write(`line ${i}\n`);
        await tick();
      }
      await c.exit();
      for (const n of [0, 1, 3, 7, 15, 40, 100]) {
        const entries = await collect(readLogs(tmp.path, { ...ALL, tail: n }, STOPPED));
        assert.deepEqual(lines(entries), Array.from({ length: 40 }, (_, i) => `line ${i}\n`).slice(40 - Math.min(n, 40)), `tail ${n}, compress ${compress}`);
      }
      assert.equal((await collect(readLogs(tmp.path, { ...ALL, tail: 'all' }, STOPPED))).length, 40);
      assert.equal((await collect(readLogs(tmp.path, { ...ALL, tail: -1 }, STOPPED))).length, 40, 'negative tail means all, as in docker');
    } finally {
      await tmp.remove();
    }
  }
});

test('stream selection and since/until filter by time', async () => {
  const tmp = await logDir();
  try {
    await writeFile(
      tmp.path,
      record('a\n', 'stdout', '2024-01-01T00:00:01.000000000Z') +
        record('b\n', 'stderr', '2024-01-01T00:00:02.000000000Z') +
        record('c\n', 'stdout', '2024-01-01T00:00:02.500000001Z') +
        record('d\n', 'stdout', '2024-01-01T00:00:03.000000000Z') +
        'not json\n' +
        record('e\n', 'stderr', '2024-01-01T00:00:04.000000000Z'),
    );
    const read = (q: Partial<LogQuery>) => collect(readLogs(tmp.path, { ...ALL, ...q }, STOPPED)).then(lines);
    assert.deepEqual(await read({}), ['a\n', 'b\n', 'c\n', 'd\n', 'e\n'], 'a line that is not a record is skipped');
    assert.deepEqual(await read({ stderr: false }), ['a\n', 'c\n', 'd\n']);
    assert.deepEqual(await read({ stdout: false }), ['b\n', 'e\n']);
    assert.deepEqual(await read({ since: new Date('2024-01-01T00:00:02Z') }), ['b\n', 'c\n', 'd\n', 'e\n'], 'since is inclusive');
    assert.deepEqual(await read({ until: new Date('2024-01-01T00:00:03Z') }), ['a\n', 'b\n', 'c\n', 'd\n'], 'until is inclusive');
    assert.deepEqual(await read({ until: new Date('2024-01-01T00:00:02.500Z') }), ['a\n', 'b\n'], 'a record 1 ns past until is out');
    assert.deepEqual(await read({ since: new Date('2024-01-01T00:00:02Z'), until: new Date('2024-01-01T00:00:03Z'), stderr: false }), ['c\n', 'd\n']);
    const [first] = await collect(readLogs(tmp.path, { ...ALL, since: new Date('2024-01-01T00:00:02.5Z') }, STOPPED));
    assert.equal(first!.nanos, 500000001);
    assert.equal(first!.time.toISOString(), '2024-01-01T00:00:02.500Z');
  } finally {
    await tmp.remove();
  }
});

test('follow sees lines written after the reader started and ends when the container stops', async () => {
  const tmp = await logDir();
  try {
    const state = runningState();
    const c = fakeContainer(tmp.path);
    c.stdout.write('before\n');
    await tick(20);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const entry of readLogs(tmp.path, { ...ALL, follow: true }, state)) seen.push(entry.line);
    })();
    await tick(50);
    assert.deepEqual(seen, ['before\n']);
    c.stdout.write('after 1\n');
    c.stderr.write('after 2\n');
    for (let i = 0; i < 50 && seen.length < 3; i++) await tick(20);
    assert.deepEqual(seen, ['before\n', 'after 1\n', 'after 2\n'], 'new lines arrive without the container stopping');
    c.stdout.write('last words');
    await c.exit(); // the engine stops following only once the writer has flushed
    state.stop();
    await reading;
    assert.deepEqual(seen, ['before\n', 'after 1\n', 'after 2\n', 'last words']);
  } finally {
    await tmp.remove();
  }
});

test('follow with tail starts from the last N records; follow on a stopped container just reads', async () => {
  const tmp = await logDir();
  try {
    const state = runningState();
    const c = fakeContainer(tmp.path);
    c.stdout.write('1\n2\n3\n');
    await tick(20);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const entry of readLogs(tmp.path, { ...ALL, follow: true, tail: 1 }, state)) seen.push(entry.line);
    })();
    await tick(30);
    c.stdout.write('4\n');
    await c.exit();
    state.stop();
    await reading;
    assert.deepEqual(seen, ['3\n', '4\n']);
    assert.deepEqual(lines(await collect(readLogs(tmp.path, { ...ALL, follow: true }, STOPPED))), ['1\n', '2\n', '3\n', '4\n']);
  } finally {
    await tmp.remove();
  }
});

test('follow keeps up across rotations and misses nothing', async () => {
  const tmp = await logDir();
  try {
    const state = runningState();
    const c = fakeContainer(tmp.path, { maxSizeBytes: 500, maxFiles: 5, compress: true });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const entry of readLogs(tmp.path, { ...ALL, follow: true }, state)) seen.push(entry.line);
    })();
    await tick(10);
    for (let i = 0; i < 60; i++) {
      c.stdout.write(`line ${i}\n`);
      await tick(i % 5 === 0 ? 15 : 0);
    }
    await c.exit();
    state.stop();
    await reading;
    assert.deepEqual(seen, Array.from({ length: 60 }, (_, i) => `line ${i}\n`));
  } finally {
    await tmp.remove();
  }
});

test('follow waits for a log that does not exist yet; an abort ends it', async () => {
  const tmp = await logDir();
  try {
    const state = runningState();
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const entry of readLogs(tmp.path, { ...ALL, follow: true }, { ...state, signal: abort.signal })) seen.push(entry.line);
    })();
    await tick(20);
    const c = fakeContainer(tmp.path);
    c.stdout.write('hello\n');
    for (let i = 0; i < 50 && seen.length < 1; i++) await tick(20);
    assert.deepEqual(seen, ['hello\n']);
    abort.abort();
    await reading; // ends although the container is still running
    await c.exit();
  } finally {
    await tmp.remove();
  }
});

test('follow ends at until', async () => {
  const tmp = await logDir();
  try {
    const state = runningState();
    const c = fakeContainer(tmp.path);
    c.stdout.write('early\n');
    const started = Date.now();
    const entries = await collect(readLogs(tmp.path, { ...ALL, follow: true, until: new Date(Date.now() + 150) }, state));
    assert.deepEqual(lines(entries), ['early\n']);
    assert.ok(Date.now() - started < 2000);
    await c.exit();
  } finally {
    await tmp.remove();
  }
});

test('a slow reader does not hold up the writer', async () => {
  const tmp = await logDir();
  try {
    const state = runningState();
    const c = fakeContainer(tmp.path);
    const reader = readLogs(tmp.path, { ...ALL, follow: true }, state)[Symbol.asyncIterator]();
    c.stdout.write('first\n');
    await tick(20);
    assert.equal((await reader.next()).value?.line, 'first\n'); // then the reader stalls
    const payload = 'x'.repeat(99) + '\n';
    for (let i = 0; i < 20000; i++) assert.ok(c.stdout.write(payload) || true);
    await c.exit(); // completes although nobody reads
    state.stop();
    let count = 0;
    for (let r = await reader.next(); !r.done; r = await reader.next()) count++;
    assert.equal(count, 20000);
  } finally {
    await tmp.remove();
  }
});
