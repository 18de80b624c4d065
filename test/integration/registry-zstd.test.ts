// zstd-compressed layers (application/vnd.oci.image.layer.v1.tar+zstd) end to end: an image made of them is pushed
// to a real registry, pulled by `image pull` through the engine and run; saved and loaded back; a .tar.zst is
// imported; a damaged zstd layer fails the pull cleanly and leaves nothing. Root: containers run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxTarball, startTestEngine, type TestEngine } from '../helpers/engine.js';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { pushFixture, sha256, tarOf, type FixtureImage } from '../helpers/oci-fixtures.js';
import { requiresRoot } from '../helpers/root-guard.js';
import { RepositoryClient } from '../../src/image/registry/repository-client.js';
import { hostArchitecture, MEDIA_TYPES } from '../../src/image/oci-types.js';

const zstdMissing = spawnSync('zstd', ['--version']).status === 0 ? false : 'the zstd program is not installed (apt-get install zstd)';
const skip = requiresRoot('root (containers)') || registryMissing() || zstdMissing;
let engine: TestEngine;
let registry: TestRegistry;
let work: string;

before(async () => {
  if (skip) return;
  registry = await startRegistry();
  engine = await startTestEngine('registry-zstd');
  work = mkdtempSync(join(tmpdir(), 'tscompose-zstd-it-'));
});

after(async () => {
  if (skip) return;
  const leftovers = await engine.stop();
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
  assert.deepEqual(leftovers, []);
});

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  return engine.cli(args, { timeoutMs: 120_000 });
}

function zstd(data: Buffer, level = '-3'): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', level], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd: ${r.stderr}`);
  return r.stdout;
}

/** An OCI image whose layers are the given blobs (all zstd), the config listing the tars' diff_ids. */
function zstdImage(tars: Buffer[], blobs: Buffer[]): FixtureImage {
  const config = Buffer.from(
    JSON.stringify({
      architecture: hostArchitecture(),
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: ['sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
      rootfs: { type: 'layers', diff_ids: tars.map((t) => sha256(t)) },
      history: tars.map(() => ({ created: '2024-01-01T00:00:00Z', created_by: 'zstd test fixture' })),
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: MEDIA_TYPES.ociConfig, digest: sha256(config), size: config.length },
      layers: blobs.map((b) => ({ mediaType: MEDIA_TYPES.ociLayerZstd, digest: sha256(b), size: b.length })),
    }),
  );
  return { config, layers: blobs, manifest, manifestDigest: sha256(manifest), id: sha256(config) };
}

function inspect(ref: string): { Id: string; RootFS: { Layers: string[] } } {
  const r = cli(['image', 'inspect', ref]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout)[0];
}

const imageDir = () => join(engine.config.root, 'image');
const storedBlobs = () => readdirSync(join(imageDir(), 'blobs', 'sha256')).map((hex) => `sha256:${hex}`);
const snapshotTemps = () => readdirSync(join(imageDir(), 'snapshots')).filter((name) => name.startsWith('.'));

const base = () => readFileSync(busyboxTarball());
const top = tarOf({ 'hello.txt': 'hello from a zstd layer\n', 'data/blob.bin': Buffer.alloc(3 * 1024 * 1024, 'zstd ') });

test('an image of zstd layers: pushed, pulled through the engine, run; saved and loaded back', { skip }, async () => {
  const tars = [base(), top];
  const image = zstdImage(tars, [zstd(tars[0]!, '-19'), zstd(tars[1]!)]);
  const name = `${registry.host}/test/zstd:1`;
  await pushFixture(new RepositoryClient(name, { actions: 'pull,push' }), image, '1');

  const pulled = cli(['image', 'pull', name]);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stdout, new RegExp(`Digest: ${image.manifestDigest}`));
  const info = inspect(name);
  assert.equal(info.Id, image.id);
  assert.deepEqual(info.RootFS.Layers, tars.map((t) => sha256(t)));
  const run = cli(['container', 'run', '--rm', name, 'sh', '-c', 'cat /hello.txt; wc -c < /data/blob.bin']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.stdout.split('\n').map((l) => l.trim()), ['hello from a zstd layer', String(3 * 1024 * 1024), '']);

  const archive = join(work, 'zstd-image.tar');
  const saved = cli(['image', 'save', '-o', archive, name]);
  assert.equal(saved.code, 0, saved.stderr);
  assert.equal(cli(['image', 'rm', name]).code, 0);
  const loaded = cli(['image', 'load', '-i', archive]);
  assert.equal(loaded.code, 0, loaded.stderr);
  assert.equal(inspect(name).Id, image.id);
  const again = cli(['container', 'run', '--rm', name, 'cat', '/hello.txt']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, 'hello from a zstd layer\n');
  assert.equal(cli(['image', 'rm', name]).code, 0);
});

test('image import of a .tar.zst rootfs', { skip }, () => {
  const file = join(work, 'rootfs.tar.zst');
  writeFileSync(file, zstd(base()));
  const imported = cli(['image', 'import', file, 'imported/zstd:1']);
  assert.equal(imported.code, 0, imported.stderr);
  assert.deepEqual(inspect('imported/zstd:1').RootFS.Layers, [sha256(base())]);
  const run = cli(['container', 'run', '--rm', 'imported/zstd:1', 'echo', 'imported']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'imported\n');
  assert.equal(cli(['image', 'rm', 'imported/zstd:1']).code, 0);
});

test('a damaged zstd layer fails the pull with "invalid layer" and leaves no blob, snapshot or temp dir', { skip }, async () => {
  const tar = tarOf({ 'broken.txt': 'x'.repeat(200_000) });
  const whole = zstd(tar);
  const image = zstdImage([tar], [whole.subarray(0, whole.length - 64)]); // the registry serves it intact: digest of the cut stream
  const name = `${registry.host}/test/zstd-broken:1`;
  await pushFixture(new RepositoryClient(name, { actions: 'pull,push' }), image, '1');
  const before = storedBlobs();

  const pulled = cli(['image', 'pull', name]);
  assert.notEqual(pulled.code, 0);
  assert.match(pulled.stderr, /invalid layer tarball: zstd: /);
  assert.equal(cli(['image', 'inspect', name]).code, 1);
  assert.deepEqual(storedBlobs().sort(), before.sort());
  assert.deepEqual(snapshotTemps(), []);
  assert.ok(!readdirSync(join(imageDir(), 'snapshots')).includes(sha256(tar).slice('sha256:'.length)));
});
