// zstd layers: the streaming decoder (compression.ts) on streams the `zstd` CLI made (levels, several frames,
// skippable frames, odd chunkings, damaged input, backpressure), and what uses it: layer unpack and image import.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decompressor, detectCompression, isDecompressionError } from '../../src/image/compression.js';
import { ContentStore } from '../../src/image/content-store.js';
import { UserError } from '../../src/errors.js';
import { unpackLayer } from '../../src/image/layer-unpack.js';
import { MEDIA_TYPES } from '../../src/image/oci-types.js';
import { storeRootfsLayer } from '../../src/image/rootfs-import.js';
import { requiresRoot } from '../helpers/root-guard.js';
import { tarOf } from '../helpers/oci-fixtures.js';

const skipZstd = spawnSync('zstd', ['--version']).status === 0 ? false : 'the zstd program is not installed (apt-get install zstd)';
const skipRoot = skipZstd || requiresRoot('root (layer files are chowned to their owners)');

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Compresses with the zstd CLI. */
function zstd(data: Buffer, args: string[] = []): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', ...args], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Deterministic data that compresses some, but not all the way (words from a small vocabulary, then noise). */
function sampleData(size: number): Buffer {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const words = Array.from({ length: 300 }, () => Buffer.from(Array.from({ length: 1 + (next() % 30) }, () => 97 + (next() % 20))));
  const parts: Buffer[] = [];
  let length = 0;
  while (length < size * 0.8) {
    const word = words[next() % words.length]!;
    parts.push(word);
    length += word.length;
  }
  parts.push(Buffer.from(Array.from({ length: size - length > 0 ? size - length : 0 }, () => next() & 0xff)));
  return Buffer.concat(parts).subarray(0, size);
}

/** Pipes `input` (in chunks of the given sizes, cycling) through a fresh zstd decompressor; the output. */
async function decode(input: Buffer, chunkSizes: number[] = [65536]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < input.length; i++) {
    const size = chunkSizes[i % chunkSizes.length]!;
    chunks.push(input.subarray(offset, offset + size));
    offset += size;
  }
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), decompressor('zstd')!, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) out.push(chunk);
  });
  return Buffer.concat(out);
}

async function decodeError(input: Buffer): Promise<Error> {
  try {
    await decode(input);
  } catch (e) {
    return e as Error;
  }
  assert.fail('decoding succeeded');
}

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'tscompose-zstd-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('zstd decompressor', { skip: skipZstd }, () => {
  const data = sampleData(3 * 1024 * 1024 + 123);

  test('is detected by its magic number', () => {
    assert.equal(detectCompression(zstd(Buffer.from('x'))), 'zstd');
  });

  for (const level of ['-1', '-3', '-19', '--long=24']) {
    test(`decodes what zstd ${level} made, whatever the chunking`, async () => {
      const compressed = zstd(data, [level]);
      for (const chunking of [[65536], [1], [7, 1000, 131075], [compressed.length]]) {
        if (chunking[0] === 1 && level !== '-1') continue; // byte by byte once is enough
        const out = await decode(compressed, chunking);
        assert.equal(out.length, data.length, `chunks ${chunking.join(',')}`);
        assert.equal(sha256(out), sha256(data), `chunks ${chunking.join(',')}`);
      }
    });
  }

  test('decodes several frames, skippable frames between them, and no frame at all', async () => {
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from('hello')]);
    const parts = [data.subarray(0, 1000), data.subarray(1000, 500_000), data.subarray(500_000)];
    const stream = Buffer.concat([zstd(parts[0]!), skippable, zstd(parts[1]!, ['-12', '--no-check']), zstd(parts[2]!, ['-2'])]);
    assert.equal(sha256(await decode(stream, [4096, 9])), sha256(data));
    assert.equal((await decode(zstd(Buffer.alloc(0)))).length, 0);
  });

  test('a damaged or truncated stream is a decompression error, never a crash', async () => {
    const compressed = zstd(data.subarray(0, 300_000), ['-19']);
    const truncated = await decodeError(compressed.subarray(0, compressed.length - 100));
    assert.ok(isDecompressionError(truncated), String(truncated));
    assert.match(truncated.message, /^zstd: /);
    const headerless = await decodeError(Buffer.concat([compressed.subarray(0, 4), Buffer.alloc(64, 0xff)]));
    assert.ok(isDecompressionError(headerless), String(headerless));
    assert.ok(isDecompressionError(await decodeError(compressed.subarray(0, 6))));
    // Damage anywhere: each case either decodes (to something; the layer's diff_id catches that) or fails cleanly.
    let seed = 99;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    let failures = 0;
    for (let i = 0; i < 60; i++) {
      const damaged = Buffer.from(compressed);
      for (let k = 0; k < 3; k++) {
        const j = next() % damaged.length;
        damaged[j] = damaged[j]! ^ (1 << next() % 8);
      }
      const at = next() % damaged.length;
      damaged.fill(next() & 0xff, at, at + (next() % 32));
      try {
        await decode(damaged, [1000]);
      } catch (e) {
        assert.ok(isDecompressionError(e), `case ${i}: ${(e as Error).stack}`);
        failures++;
      }
    }
    assert.ok(failures > 0);
  });

  test('output waits for the reader: a tiny stream that inflates hugely is not decoded all at once', async () => {
    const bomb = zstd(Buffer.alloc(256 * 1024 * 1024), ['-19']); // a few KB
    assert.ok(bomb.length < 64 * 1024, `${bomb.length}`);
    const stream = decompressor('zstd')! as Transform;
    stream.write(bomb);
    stream.end();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(stream.readableLength < 48 * 1024 * 1024, `buffered ${stream.readableLength} bytes with nobody reading`);
    let total = 0;
    for await (const chunk of stream) total += (chunk as Buffer).length;
    assert.equal(total, 256 * 1024 * 1024);
  });
});

describe('zstd layers', { skip: skipRoot }, () => {
  const tar = tarOf({ 'etc/hello.txt': 'hello from zstd\n', 'data/sample.bin': sampleData(2 * 1024 * 1024) });

  test('unpack: files in place, diff_id of the uncompressed tar', async () => {
    const blob = join(work, 'layer.tar.zst');
    writeFileSync(blob, zstd(tar, ['-9']));
    const target = join(work, 'unpacked');
    const result = await unpackLayer(blob, target);
    assert.equal(result.diffId, `sha256:${sha256(tar)}`);
    assert.equal(readFileSync(join(target, 'etc/hello.txt'), 'utf8'), 'hello from zstd\n');
    assert.equal(sha256(readFileSync(join(target, 'data/sample.bin'))), sha256(sampleData(2 * 1024 * 1024)));
  });

  test('unpack: a damaged zstd layer is a UserError "invalid layer tarball"', async () => {
    const compressed = zstd(tar);
    for (const [name, bytes] of [['truncated', compressed.subarray(0, compressed.length >> 1)], ['garbage', Buffer.concat([compressed.subarray(0, 4), Buffer.alloc(200, 0xa5)])]] as const) {
      const blob = join(work, `${name}.tar.zst`);
      writeFileSync(blob, bytes);
      await assert.rejects(unpackLayer(blob, join(work, `unpacked-${name}`)), (e: unknown) => {
        assert.ok(e instanceof UserError, String(e));
        assert.match((e as Error).message, /^invalid layer tarball: zstd: /);
        return true;
      });
    }
  });

  test('image import of a .tar.zst: stored as is, as a zstd layer, with the diff_id of the tar', async () => {
    const content = new ContentStore(join(work, 'store'));
    const compressed = zstd(tar);
    const file = join(work, 'rootfs.tar.zst');
    writeFileSync(file, compressed);
    const stored = await storeRootfsLayer(content, file);
    assert.equal(stored.layer.mediaType, MEDIA_TYPES.ociLayerZstd);
    assert.equal(stored.layer.digest, `sha256:${sha256(compressed)}`);
    assert.equal(stored.diffId, `sha256:${sha256(tar)}`);

    const damaged = join(work, 'damaged.tar.zst');
    writeFileSync(damaged, compressed.subarray(0, compressed.length - 40));
    await assert.rejects(storeRootfsLayer(content, damaged), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.match((e as Error).message, /^invalid layer tarball .*damaged\.tar\.zst: zstd: /);
      return true;
    });
    assert.deepEqual(content.list().sort(), [stored.layer.digest]);
    assert.deepEqual(readdirSync(join(work, 'store', 'ingest')), []);
  });
});
