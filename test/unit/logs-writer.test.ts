import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { JsonFileLogWriter, MAX_RECORD_BYTES, parseLogOptions } from '../../src/engine/logs/json-file.js';
import { UserError } from '../../src/errors.js';
import { fakeContainer, logDir, logFileNames, recordsOf, tick } from './logs-helpers.js';

const RFC3339_NANO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

test('lines split across chunks are joined into one record each', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path);
    for (const piece of ['hel', 'lo\nwor', 'ld\n', '\n', 'a\nb\nc\n']) {
      c.stdout.write(piece);
      await tick();
    }
    await c.exit();
    const records = await recordsOf(tmp.path);
    assert.deepEqual(records.map((r) => r.log), ['hello\n', 'world\n', '\n', 'a\n', 'b\n', 'c\n']);
    assert.ok(records.every((r) => r.stream === 'stdout' && RFC3339_NANO.test(r.time)));
  } finally {
    await tmp.remove();
  }
});

test('multi-byte characters split across chunks survive', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path);
    const bytes = Buffer.from('héllo → 世界\n');
    for (let i = 0; i < bytes.length; i++) c.stdout.write(bytes.subarray(i, i + 1));
    await c.exit();
    assert.deepEqual((await recordsOf(tmp.path)).map((r) => r.log), ['héllo → 世界\n']);
  } finally {
    await tmp.remove();
  }
});

test('stdout and stderr interleave in arrival order with their stream names and increasing times', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path);
    c.stdout.write('out 1\n');
    await tick();
    c.stderr.write('err 1\n');
    await tick();
    c.stdout.write('out 2\n');
    await tick();
    c.stderr.write('err 2\n');
    await c.exit();
    const records = await recordsOf(tmp.path);
    assert.deepEqual(records.map((r) => [r.stream, r.log]), [['stdout', 'out 1\n'], ['stderr', 'err 1\n'], ['stdout', 'out 2\n'], ['stderr', 'err 2\n']]);
    const times = records.map((r) => r.time);
    assert.deepEqual([...times].sort(), times);
    assert.equal(new Set(times).size, times.length, 'times are strictly increasing');
  } finally {
    await tmp.remove();
  }
});

test('a partial last line is flushed without a newline when the stream ends', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path);
    c.stdout.write('done\nno newline');
    c.stderr.write('oops');
    await c.exit();
    const records = await recordsOf(tmp.path);
    assert.deepEqual(records.map((r) => [r.stream, r.log]).sort(), [['stderr', 'oops'], ['stdout', 'done\n'], ['stdout', 'no newline']]);
  } finally {
    await tmp.remove();
  }
});

test('close() waits for output still in the pipe, then gives up on a pipe that never ends', async () => {
  const tmp = await logDir();
  try {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const writer = new JsonFileLogWriter(tmp.path, {}, { endGraceMs: 100 });
    writer.attach(stdout, 'stdout');
    writer.attach(stderr, 'stderr');
    stderr.write('half');
    const closing = writer.close(); // the container exited; its last output is not read yet
    stdout.end('late\n');
    const started = Date.now();
    await closing;
    assert.ok(Date.now() - started >= 80, 'stderr never ended: close waited for the grace period');
    assert.deepEqual((await recordsOf(tmp.path)).map((r) => r.log).sort(), ['half', 'late\n']);
  } finally {
    await tmp.remove();
  }
});

test('lines longer than 16 KiB are split into 16 KiB records as Docker does; the last piece keeps the newline', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path);
    const long = 'x'.repeat(MAX_RECORD_BYTES * 2 + 100);
    c.stdout.write(`${long}\nshort\n${'y'.repeat(MAX_RECORD_BYTES - 1)}\n`);
    await c.exit();
    const logs = (await recordsOf(tmp.path)).map((r) => r.log);
    assert.deepEqual(logs.map((l) => l.length), [MAX_RECORD_BYTES, MAX_RECORD_BYTES, 101, 6, MAX_RECORD_BYTES]);
    assert.equal(logs.slice(0, 3).join(''), `${long}\n`);
    assert.ok(!logs[0]!.endsWith('\n') && logs[2]!.endsWith('\n'));
  } finally {
    await tmp.remove();
  }
});

test('an unterminated line is cut at 16 KiB while it grows (memory stays bounded), never inside a character', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path);
    const text = 'é'.repeat(MAX_RECORD_BYTES); // 2 bytes each: 32 KiB, no newline
    c.stdout.write(text);
    await c.exit();
    const logs = (await recordsOf(tmp.path)).map((r) => r.log);
    assert.equal(logs.join(''), text);
    assert.ok(logs.every((l) => Buffer.byteLength(l) <= MAX_RECORD_BYTES && !l.includes('\ufffd')));
  } finally {
    await tmp.remove();
  }
});

test('rotation at max-size keeps max-file files and drops the oldest', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path, { maxSizeBytes: 1000, maxFiles: 3 });
    for (let i = 0; i < 100; i++) {
      c.stdout.write(`line ${String(i).padStart(3, '0')}\n`);
      if (i % 7 === 0) await tick();
    }
    await c.exit();
    assert.deepEqual(await logFileNames(tmp.dir), ['container-json.log', 'container-json.log.1', 'container-json.log.2']);
    const files = [`${tmp.path}.2`, `${tmp.path}.1`, tmp.path];
    const perFile = await Promise.all(files.map(recordsOf));
    const kept = perFile.flat().map((r) => r.log);
    assert.equal(kept.at(-1), 'line 099\n');
    const first = Number(kept[0]!.slice(5, 8));
    assert.ok(first > 0, 'the oldest lines were dropped');
    assert.deepEqual(kept, Array.from({ length: 100 - first }, (_, i) => `line ${String(first + i).padStart(3, '0')}\n`), 'no gap, no duplicate');
    for (const file of files.slice(0, 2)) {
      const size = (await import('node:fs')).statSync(file).size;
      assert.ok(size >= 1000 && size < 1000 + 100, `a rotated file holds max-size plus at most one record (${size})`);
    }
  } finally {
    await tmp.remove();
  }
});

test('max-file 1 rotation starts the file over; an existing file counts toward max-size', async () => {
  const tmp = await logDir();
  try {
    await writeFile(tmp.path, `${JSON.stringify({ log: 'old\n', stream: 'stdout', time: '2020-01-01T00:00:00.000000000Z' })}\n`.repeat(20));
    const c = fakeContainer(tmp.path, { maxSizeBytes: 1000, maxFiles: 1 });
    c.stdout.write('new\n');
    await c.exit();
    assert.deepEqual(await logFileNames(tmp.dir), ['container-json.log']);
    assert.deepEqual((await recordsOf(tmp.path)).map((r) => r.log), ['new\n']);
  } finally {
    await tmp.remove();
  }
});

test('compress gzips rotated files', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path, { maxSizeBytes: 500, maxFiles: 3, compress: true });
    for (let i = 0; i < 40; i++) {
      c.stdout.write(`compressed line ${i}\n`);
      await tick();
    }
    await c.exit();
    assert.deepEqual(await logFileNames(tmp.dir), ['container-json.log', 'container-json.log.1.gz', 'container-json.log.2.gz']);
    const all = (await Promise.all([`${tmp.path}.2.gz`, `${tmp.path}.1.gz`, tmp.path].map(recordsOf))).flat();
    assert.equal(all.at(-1)!.log, 'compressed line 39\n');
  } finally {
    await tmp.remove();
  }
});

test('parseLogOptions reads Docker log-opts and rejects bad values', () => {
  assert.deepEqual(parseLogOptions({}), {});
  assert.deepEqual(parseLogOptions({ 'max-size': '10m', 'max-file': '3' }), { maxSizeBytes: 10 * 1024 * 1024, maxFiles: 3 });
  assert.deepEqual(parseLogOptions({ 'max-size': '1g' }), { maxSizeBytes: 1024 ** 3 });
  assert.deepEqual(parseLogOptions({ 'max-size': '512k', 'max-file': '2', compress: 'true' }), { maxSizeBytes: 512 * 1024, maxFiles: 2, compress: true });
  assert.deepEqual(parseLogOptions({ 'max-size': '100' }), { maxSizeBytes: 100 });
  assert.deepEqual(parseLogOptions({ 'max-size': '1.5MB' }), { maxSizeBytes: 1.5 * 1024 * 1024 });
  assert.deepEqual(parseLogOptions({ 'max-size': '-1' }), {}, 'Docker\'s unlimited');
  assert.deepEqual(parseLogOptions({ 'max-file': '5' }), { maxFiles: 5 }, 'accepted, no effect without max-size');
  assert.deepEqual(parseLogOptions({ tag: '{{.Name}}', labels: 'a,b' }), {});
  const bads: Array<Record<string, string>> = [{ 'max-size': '10x' }, { 'max-size': '0' }, { 'max-size': 'big' }, { 'max-file': '0' }, { 'max-file': 'two' }, { compress: 'yes' }, { compress: 'true', 'max-size': '1m' }, { 'max-sise': '1m' }];
  for (const bad of bads) {
    assert.throws(() => parseLogOptions(bad), UserError, JSON.stringify(bad));
  }
});

test('writer throughput with small lines (reported)', async () => {
  const tmp = await logDir();
  try {
    const c = fakeContainer(tmp.path, { maxSizeBytes: 64 * 1024 * 1024, maxFiles: 2 });
    const line = 'GET /api/v1/items?id=12345 200 0.42ms user-agent=curl/8.0\n'; // 60 bytes, a typical access-log line
    const chunk = Buffer.from(line.repeat(1000)); // what one pipe read of a chatty container looks like
    const totalBytes = 64 * 1024 * 1024;
    const started = process.hrtime.bigint();
    for (let sent = 0; sent < totalBytes; sent += chunk.length) {
      if (!c.stdout.write(chunk)) await new Promise((r) => c.stdout.once('drain', r));
    }
    await c.exit();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const lines = totalBytes / line.length;
    const rate = totalBytes / 1024 / 1024 / seconds;
    console.log(`json-file writer: ${rate.toFixed(0)} MB/s of container output, ${(lines / seconds / 1e6).toFixed(2)} M lines/s (${line.length}-byte lines)`);
    assert.ok(rate > 20, `writer too slow: ${rate.toFixed(1)} MB/s`);
  } finally {
    await tmp.remove();
  }
});
