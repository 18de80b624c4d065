// `image save` / `image load`: Docker's save format with the OCI layout beside it, loaded on a clean root with
// identical digests; an archive written by the test per Docker's legacy rules (layer.tar, <id>.json) loads too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxTarball, startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { sha256 } from '../helpers/oci-fixtures.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (containers)');
let source: TestEngine;
let target: TestEngine;
let work: string;

before(async () => {
  if (skip) return;
  source = await startTestEngine('archive-src');
  target = await startTestEngine('archive-dst');
  work = mkdtempSync(join(tmpdir(), 'tscompose-archive-'));
});

after(async () => {
  if (skip) return;
  const leftovers = [...(await source.stop()), ...(await target.stop())];
  rmSync(work, { recursive: true, force: true });
  assert.deepEqual(leftovers, []);
});

const stored = (engine: TestEngine, id: string) => JSON.parse(readFileSync(join(engine.config.root, 'image', 'images', `${id.slice(7)}.json`), 'utf8'));
const inspect = (engine: TestEngine, ref: string) => JSON.parse(engine.cli(['image', 'inspect', ref]).stdout)[0];

test('save, then load on a clean root: identical image ID, layers and manifest digest', { skip }, () => {
  assert.equal(source.cli(['image', 'tag', TEST_IMAGE, 'saved/busybox:v1']).code, 0);
  const archive = join(work, 'saved.tar');
  const saved = source.cli(['image', 'save', '-o', archive, 'saved/busybox:v1']);
  assert.equal(saved.code, 0, saved.stderr);
  const listing = execFileSync('tar', ['tf', archive], { encoding: 'utf8' }).split('\n');
  for (const file of ['manifest.json', 'index.json', 'oci-layout', 'repositories']) assert.ok(listing.includes(file), `${file} missing`);

  const loaded = target.cli(['image', 'load', '-i', archive]);
  assert.equal(loaded.code, 0, loaded.stderr);
  assert.equal(loaded.stdout, 'Loaded image: saved/busybox:v1\n');
  const before = inspect(source, 'saved/busybox:v1');
  const after = inspect(target, 'saved/busybox:v1');
  assert.equal(after.Id, before.Id);
  assert.deepEqual(after.RootFS.Layers, before.RootFS.Layers);
  assert.deepEqual(stored(target, after.Id), stored(source, before.Id));
  const run = target.cli(['container', 'run', '--rm', 'saved/busybox:v1', 'echo', 'loaded']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'loaded\n');

  const gz = join(work, 'saved.tar.gz');
  execFileSync('sh', ['-c', `gzip -c ${archive} > ${gz}`]);
  assert.equal(target.cli(['image', 'rm', 'saved/busybox:v1']).code, 0);
  const again = target.cli(['image', 'load', '-q', '-i', gz]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(inspect(target, 'saved/busybox:v1').Id, before.Id);
});

test('an archive in the legacy docker save layout loads and runs', { skip }, () => {
  const dir = join(work, 'legacy');
  const layerTar = readFileSync(busyboxTarball());
  const diffId = sha256(layerTar);
  const layerId = diffId.slice(7); // v1 IDs: any 64 hex; Docker derived them from the chain
  mkdirSync(join(dir, layerId), { recursive: true });
  writeFileSync(join(dir, layerId, 'layer.tar'), layerTar);
  writeFileSync(join(dir, layerId, 'VERSION'), '1.0');
  writeFileSync(join(dir, layerId, 'json'), JSON.stringify({ id: layerId }));
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z',
    config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created: '2024-01-01T00:00:00Z', created_by: 'legacy test' }],
  }));
  const configName = `${sha256(config).slice(7)}.json`;
  writeFileSync(join(dir, configName), config);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: ['legacy/busybox:old'], Layers: [`${layerId}/layer.tar`] }]));
  writeFileSync(join(dir, 'repositories'), JSON.stringify({ 'legacy/busybox': { old: layerId } }));
  const archive = join(work, 'legacy.tar');
  execFileSync('tar', ['-cf', archive, '-C', dir, '.']);

  const loaded = target.cli(['image', 'load', '-i', archive]);
  assert.equal(loaded.code, 0, loaded.stderr);
  assert.equal(loaded.stdout, 'Loaded image: legacy/busybox:old\n');
  assert.equal(inspect(target, 'legacy/busybox:old').Id, sha256(config));
  const run = target.cli(['container', 'run', '--rm', 'legacy/busybox:old', 'echo', 'legacy']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'legacy\n');
});

test('a damaged archive is refused and leaves no blobs', { skip }, () => {
  const archive = join(work, 'saved.tar');
  const bytes = readFileSync(archive);
  const blobs = () => execFileSync('ls', [join(target.config.root, 'image', 'blobs', 'sha256')], { encoding: 'utf8' });
  const before = blobs();
  const offset = bytes.toString('latin1').search(/blobs\/sha256\/[a-f0-9]{64}/) + 512 + 100; // inside the first blob's data
  bytes[offset] = bytes[offset]! ^ 0xff;
  writeFileSync(join(work, 'damaged.tar'), bytes);
  const r = target.cli(['image', 'load', '-i', join(work, 'damaged.tar')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /invalid archive: blobs\/sha256\/[a-f0-9]{64}: digest mismatch/);
  assert.equal(blobs(), before);
});

test('image prune removes dangling images; -a every unused one', { skip }, () => {
  assert.equal(target.cli(['image', 'tag', 'legacy/busybox:old', 'legacy/busybox:keep']).code, 0);
  assert.equal(target.cli(['image', 'rm', 'legacy/busybox:keep']).code, 0);
  const pruned = target.cli(['image', 'prune', '-f']);
  assert.equal(pruned.code, 0, pruned.stderr);
  assert.match(pruned.stdout, /Total reclaimed space/);
  const all = target.cli(['image', 'prune', '-a', '-f']);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /untagged: legacy\/busybox:old/);
  assert.equal(target.cli(['image', 'ls', '-q']).stdout, '');
});
