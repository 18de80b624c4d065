import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { decodeFrames, formatLogLine, frame, FrameDecoder, FrameError, type Frame } from '../../src/engine/logs/stream-framing.js';

test('frame writes Docker\'s 8-byte header: stream type, three zero bytes, big-endian size', () => {
  assert.deepEqual([...frame('stdout', Buffer.from('hi'))], [1, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69]);
  assert.deepEqual([...frame('stderr', Buffer.alloc(0x01020304)).subarray(0, 8)], [2, 0, 0, 0, 1, 2, 3, 4]);
  assert.deepEqual([...frame('stdin', Buffer.from('x')).subarray(0, 8)], [0, 0, 0, 0, 0, 0, 0, 1]);
});

async function decodeChunks(chunks: Buffer[]): Promise<Frame[]> {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder();
  decoder.on('data', (f: Frame) => frames.push(f));
  const ended = new Promise<void>((resolve, reject) => decoder.on('end', resolve).on('error', reject));
  for (const chunk of chunks) decoder.write(chunk);
  decoder.end();
  await ended;
  return frames;
}

test('frame → FrameDecoder round trip with the bytes split at every boundary', async () => {
  const sent: Frame[] = [
    { stream: 'stdout', payload: Buffer.from('hello\n') },
    { stream: 'stderr', payload: Buffer.from('wörld → 世界\n') },
    { stream: 'stdout', payload: Buffer.alloc(300, 7) },
    { stream: 'stdin', payload: Buffer.from('x') },
  ];
  const bytes = Buffer.concat(sent.map((f) => frame(f.stream, f.payload)));
  const simplify = (frames: Frame[]) => frames.map((f) => [f.stream, f.payload.toString('hex')]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    assert.deepEqual(simplify(await decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)])), simplify(sent), `cut at ${cut}`);
  }
  const oneByteAtATime = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  assert.deepEqual(simplify(await decodeChunks(oneByteAtATime)), simplify(sent));
});

test('decodeFrames iterates frames; a stream cut inside a frame or with a bad type is an error', async () => {
  const bytes = Buffer.concat([frame('stdout', Buffer.from('a')), frame('stderr', Buffer.from('b'))]);
  const frames: Frame[] = [];
  for await (const f of decodeFrames(Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]))) frames.push(f);
  assert.deepEqual(frames.map((f) => `${f.stream}:${f.payload}`), ['stdout:a', 'stderr:b']);
  await assert.rejects(decodeChunks([bytes.subarray(0, bytes.length - 1)]), FrameError);
  await assert.rejects(decodeChunks([Buffer.from([9, 0, 0, 0, 0, 0, 0, 1, 65])]), FrameError);
});

test('formatLogLine prints the line, with an RFC3339Nano time and a space when timestamps are on', () => {
  const entry = { stream: 'stdout' as const, time: new Date('2024-01-01T00:00:00.123Z'), nanos: 123456789, line: 'hi\n' };
  assert.equal(formatLogLine(entry, false).toString(), 'hi\n');
  assert.equal(formatLogLine(entry, true).toString(), '2024-01-01T00:00:00.123456789Z hi\n');
  assert.equal(formatLogLine({ ...entry, time: new Date('2024-01-01T00:00:05Z'), nanos: 0 }, true).toString(), '2024-01-01T00:00:05.000000000Z hi\n');
});
