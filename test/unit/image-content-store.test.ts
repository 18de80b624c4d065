import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from '../../src/image/content-store.js';
import { sha256Digest } from '../../src/image/digest.js';
import { UserError } from '../../src/errors.js';

function withStore(run: (store: ContentStore, root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), 'tscompose-cs-'));
    try {
      await run(new ContentStore(root), root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

const blobFiles = (root: string) => readdirSync(join(root, 'blobs', 'sha256'));
const ingestFiles = (root: string) => readdirSync(join(root, 'ingest'));

test('stores a buffer and a stream under their digest, and reads them back', withStore(async (store, root) => {
  const data = Buffer.from('hello layers');
  const info = await store.put(data, sha256Digest(data));
  assert.deepEqual(info, { digest: sha256Digest(data), size: data.length });
  assert.ok(store.has(info.digest));
  assert.deepEqual(store.get(info.digest), data);
  const streamed = await store.put(Readable.from([Buffer.from('a'), Buffer.from('b')]), { size: 2 });
  assert.equal(streamed.digest, sha256Digest('ab'));
  assert.equal(store.size(streamed.digest), 2);
  assert.deepEqual(blobFiles(root).sort(), [info.digest, streamed.digest].map((d) => d.slice(7)).sort());
  assert.deepEqual(ingestFiles(root), []);
}));

test('rejects a wrong digest and stores nothing', withStore(async (store, root) => {
  const wrong = sha256Digest('something else');
  await assert.rejects(store.put(Buffer.from('payload'), wrong), (e: unknown) => e instanceof UserError && /digest mismatch/.test(e.message));
  assert.equal(store.has(wrong), false);
  assert.equal(store.has(sha256Digest('payload')), false);
  assert.deepEqual(blobFiles(root), []);
  assert.deepEqual(ingestFiles(root), []);
}));

test('rejects a wrong size and a malformed digest', withStore(async (store, root) => {
  const data = Buffer.from('12345');
  await assert.rejects(store.put(data, { digest: sha256Digest(data), size: 4 }), /size mismatch/);
  await assert.rejects(store.put(data, 'sha256:xyz'), /invalid digest/);
  assert.deepEqual(blobFiles(root), []);
}));

test('a failing source leaves no blob and no temp file', withStore(async (store, root) => {
  const failing = new Readable({
    read() {
      this.destroy(new Error('network reset'));
    },
  });
  await assert.rejects(store.put(failing), /network reset/);
  assert.deepEqual(blobFiles(root), []);
  assert.deepEqual(ingestFiles(root), []);
}));

test('putting an existing blob again is a no-op; delete removes it', withStore(async (store) => {
  const data = Buffer.from('same');
  await store.put(data);
  await store.put(data, sha256Digest(data));
  assert.deepEqual(store.list(), [sha256Digest(data)]);
  assert.equal(store.delete(sha256Digest(data)), true);
  assert.equal(store.delete(sha256Digest(data)), false);
  assert.throws(() => store.get(sha256Digest(data)), /not found/);
}));
