// SnapshotStore.ensureChain: the layers of an image (zstd and gzip) unpack in parallel, each as soon as its blob
// is ready, while snapshots still appear bottom-up, all or nothing per layer, without temp dirs left on failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../../src/errors.js';
import { chainIds } from '../../src/image/digest.js';
import { SnapshotStore, type ChainLayer } from '../../src/image/snapshots.js';
import { requiresRoot } from '../helpers/root-guard.js';
import { tarOf } from '../helpers/oci-fixtures.js';

const skip = (spawnSync('zstd', ['--version']).status === 0 ? false : 'the zstd program is not installed (apt-get install zstd)') || requiresRoot('root (layer files are chowned to their owners)');

const sha256 = (data: Buffer) => 'sha256:' + createHash('sha256').update(data).digest('hex');

function zstd(data: Buffer): Buffer {
  const r = spawnSync('zstd', ['-q', '-c'], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd: ${r.stderr}`);
  return r.stdout;
}

interface Layer {
  diffId: string;
  blobPath: string;
  name: string; // the file this layer adds
}

let work: string;
let counter = 0;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'tscompose-zstd-chain-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** `count` layers, each adding one file (a few MB, so unpacks overlap); odd ones gzip, even ones zstd. */
function makeLayers(count: number): Layer[] {
  const id = ++counter;
  return Array.from({ length: count }, (_, i) => {
    const name = `layer-${id}-${i}.txt`;
    const tar = tarOf({ [name]: `${name}\n`.repeat(200_000) });
    const blobPath = join(work, `${name}.blob`);
    writeFileSync(blobPath, i % 2 ? gzipSync(tar) : zstd(tar));
    return { diffId: sha256(tar), blobPath, name };
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const newStore = () => new SnapshotStore(mkdtempSync(join(work, 'store-')));

/** Temp dirs in the snapshot dir and links pointing nowhere: what a failure must not leave. */
function leftovers(store: SnapshotStore): string[] {
  const temps = readdirSync(join(store.root, 'snapshots')).filter((name) => name.startsWith('.'));
  const dangling = readdirSync(join(store.root, 'l')).filter((link) => !existsSync(join(store.root, 'l', link)));
  return [...temps, ...dangling.map((l) => `l/${l}`)];
}

test('layers unpack as their blobs arrive, in any order; snapshots appear bottom-up', { skip }, async () => {
  const store = newStore();
  const layers = makeLayers(4);
  const ready = layers.map(() => deferred());
  const unpackStarts: number[] = [];
  const done: number[] = [];
  const chain = store.ensureChain(
    layers.map((l, i): ChainLayer => ({ diffId: l.diffId, blobPath: l.blobPath, ready: ready[i]!.promise })),
    {
      onUnpack: (i) => unpackStarts.push(i),
      onDone: (i, info, created) => {
        assert.ok(created);
        if (info.parent !== undefined) assert.ok(store.has(info.parent), `layer ${i} appeared before its parent`);
        done.push(i);
      },
    },
  );
  // Blobs arrive top first: every layer above the base unpacks while the base's blob is still missing.
  for (const i of [3, 2, 1]) ready[i]!.resolve();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(done, [], 'nothing may appear before the base layer');
  assert.deepEqual([...unpackStarts].sort(), [1, 2, 3]);
  ready[0]!.resolve();
  const infos = await chain;
  assert.deepEqual(done, [0, 1, 2, 3]);
  const ids = chainIds(layers.map((l) => l.diffId));
  assert.deepEqual(infos.map((s) => s.chainId), ids);
  assert.deepEqual(infos.map((s) => s.parent), [undefined, ...ids.slice(0, -1)]);
  for (const [i, layer] of layers.entries()) {
    assert.equal(readFileSync(join(store.fsPath(ids[i]!), layer.name), 'utf8'), `${layer.name}\n`.repeat(200_000));
    assert.ok(existsSync(store.lowerDir(ids[i]!)));
  }
  assert.deepEqual(leftovers(store), []);

  // Again: nothing to do, every layer reported as already there.
  const again: boolean[] = [];
  await store.ensureChain(layers.map((l) => ({ diffId: l.diffId, blobPath: l.blobPath })), { onDone: (_i, _info, created) => again.push(created) });
  assert.deepEqual(again, [false, false, false, false]);
});

test('a damaged layer fails the chain with its own error; the layers below stay, nothing above, no temp dirs', { skip }, async () => {
  const store = newStore();
  const layers = makeLayers(4);
  const blob = readFileSync(layers[1]!.blobPath);
  writeFileSync(layers[1]!.blobPath, blob.subarray(0, blob.length >> 1));
  await assert.rejects(
    store.ensureChain(layers.map((l) => ({ diffId: l.diffId, blobPath: l.blobPath }))),
    (e: unknown) => e instanceof UserError && /^invalid layer tarball/.test(e.message),
  );
  const ids = chainIds(layers.map((l) => l.diffId));
  assert.deepEqual(ids.map((id) => store.has(id)), [true, false, false, false]);
  await new Promise((resolve) => setTimeout(resolve, 100)); // anything still writing would show by now
  assert.deepEqual(leftovers(store), []);
  assert.deepEqual(store.list().map((s) => s.chainId), [ids[0]]);
});

test('a layer with the wrong diff_id, or whose blob never comes, fails the chain the same way', { skip }, async () => {
  const store = newStore();
  const layers = makeLayers(3);
  await assert.rejects(
    store.ensureChain(layers.map((l, i) => ({ diffId: i === 2 ? sha256(Buffer.from('other')) : l.diffId, blobPath: l.blobPath }))),
    /layer content mismatch/,
  );
  const ids = chainIds(layers.map((l) => l.diffId));
  assert.deepEqual(ids.map((id) => store.has(id)), [true, true, false]);
  assert.deepEqual(leftovers(store), []);

  const fresh = newStore();
  const more = makeLayers(3);
  const download = new Error('download failed');
  await assert.rejects(
    fresh.ensureChain(more.map((l, i) => ({ diffId: l.diffId, blobPath: l.blobPath, ready: i === 1 ? Promise.reject(download) : Promise.resolve() }))),
    (e: unknown) => e === download,
  );
  assert.deepEqual(chainIds(more.map((l) => l.diffId)).map((id) => fresh.has(id)), [true, false, false]);
  assert.deepEqual(leftovers(fresh), []);
});

test('ensure on a parent still unpacking waits for it; two chains over the same layers unpack each once', { skip }, async () => {
  const store = newStore();
  const layers = makeLayers(3);
  const ids = chainIds(layers.map((l) => l.diffId));
  const gate = deferred();
  let unpacks = 0;
  const first = store.ensureChain(layers.slice(0, 2).map((l) => ({ diffId: l.diffId, blobPath: l.blobPath, ready: gate.promise })), { onUnpack: () => unpacks++ });
  const child = store.ensure({ diffId: layers[2]!.diffId, parent: ids[1]!, blobPath: layers[2]!.blobPath });
  const second = store.ensureChain(layers.map((l) => ({ diffId: l.diffId, blobPath: l.blobPath })), { onUnpack: () => unpacks++ });
  gate.resolve();
  const [a, info, b] = await Promise.all([first, child, second]);
  assert.deepEqual(a.map((s) => s.chainId), ids.slice(0, 2));
  assert.equal(info.chainId, ids[2]);
  assert.deepEqual(b.map((s) => s.chainId), ids);
  assert.equal(unpacks, 2, 'the second chain reuses the pending unpacks (and the child its own)');
  await assert.rejects(store.ensure({ diffId: layers[0]!.diffId, parent: sha256(Buffer.from('nowhere')), blobPath: layers[0]!.blobPath }), /is not unpacked/);
  assert.deepEqual(leftovers(store), []);
});
