// Pull and push against a real registry (Debian's docker-registry on 127.0.0.1): round trip, multi-platform
// indexes, refused blobs. Root: containers run from the pulled image.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { registryBlobPath, registryMissing, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { fixtureImage, fixtureIndex, pushFixture, sha256 } from '../helpers/oci-fixtures.js';
import { requiresRoot } from '../helpers/root-guard.js';
import { RepositoryClient } from '../../src/image/registry/repository-client.js';
import { MEDIA_TYPES } from '../../src/image/oci-types.js';

const skip = requiresRoot('root (containers)') || registryMissing();
let engine: TestEngine;
let registry: TestRegistry;
let dockerConfig: string;

before(async () => {
  if (skip) return;
  registry = await startRegistry();
  engine = await startTestEngine('registry');
  dockerConfig = mkdtempSync(join(tmpdir(), 'tscompose-dockercfg-'));
  engine.env.DOCKER_CONFIG = dockerConfig; // never the user's own file
});

after(async () => {
  if (skip) return;
  const leftovers = await engine.stop();
  await registry.stop();
  rmSync(dockerConfig, { recursive: true, force: true });
  assert.deepEqual(leftovers, []);
});

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  return engine.cli(args, { timeoutMs: 120_000 });
}

function inspect(ref: string): { Id: string; RepoDigests: string[]; RootFS: { Layers: string[] }; Architecture: string } {
  const r = cli(['image', 'inspect', ref]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout)[0];
}

/** The blobs in the engine's content store. */
function storedBlobs(): string[] {
  return readdirSync(join(engine.config.root, 'image', 'blobs', 'sha256')).map((hex) => `sha256:${hex}`);
}

test('push, remove, pull back: same digests, same rootfs', { skip }, () => {
  const name = `${registry.host}/test/busybox:1`;
  assert.equal(cli(['image', 'tag', TEST_IMAGE, name]).code, 0);
  const before = inspect(name);
  const pushed = cli(['image', 'push', name]);
  assert.equal(pushed.code, 0, pushed.stderr);
  const digest = /1: digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(pushed.stdout)?.[1];
  assert.ok(digest, pushed.stdout);
  assert.match(pushed.stdout, /Pushed/);

  assert.equal(cli(['image', 'rm', name]).code, 0);
  const pulled = cli(['image', 'pull', name]);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stdout, new RegExp(`Digest: ${digest}`));
  assert.match(pulled.stdout, /Status: (Downloaded newer image|Image is up to date) for /);
  assert.equal(pulled.stdout.trim().split('\n').pop(), name);
  const after = inspect(name);
  assert.equal(after.Id, before.Id);
  assert.deepEqual(after.RootFS.Layers, before.RootFS.Layers);
  assert.ok(after.RepoDigests.includes(`${registry.host}/test/busybox@${digest}`), JSON.stringify(after.RepoDigests));

  const run = cli(['container', 'run', '--rm', name, 'sh', '-c', 'echo from-$(basename $(readlink -f /bin/sh))']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'from-busybox');
});

test('a fresh pull into an empty store rebuilds the image from the registry alone', { skip }, () => {
  const name = `${registry.host}/test/fresh:1`;
  assert.equal(cli(['image', 'tag', TEST_IMAGE, name]).code, 0);
  assert.equal(cli(['image', 'push', name]).code, 0);
  const id = inspect(name).Id;
  // Remove every name of the image so its blobs and snapshots go, then pull.
  for (const ref of [name, `${registry.host}/test/busybox:1`, TEST_IMAGE]) cli(['image', 'rm', ref]);
  assert.ok(!storedBlobs().includes(id), 'the config blob should be gone');
  const pulled = cli(['image', 'pull', name]);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stdout, /Pull complete/);
  assert.equal(inspect(name).Id, id);
  assert.equal(cli(['image', 'tag', name, TEST_IMAGE]).code, 0); // later tests use the test image
  const run = cli(['container', 'run', '--rm', name, 'ls', '/bin/busybox']);
  assert.equal(run.code, 0, run.stderr);
});

test('a second push mounts blobs from the repository they came from', { skip }, () => {
  const name = `${registry.host}/other/copy:2`;
  assert.equal(cli(['image', 'tag', `${registry.host}/test/fresh:1`, name]).code, 0);
  const pushed = cli(['image', 'push', name]);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, /Mounted from test\/fresh|Layer already exists/);
});

test('a multi-platform index: linux/amd64 by default, arm64 with --platform', { skip }, async () => {
  const amd64 = fixtureImage([{ 'platform.txt': 'amd64\n' }], { architecture: 'amd64' });
  const arm64 = fixtureImage([{ 'platform.txt': 'arm64\n' }], { architecture: 'arm64', variant: 'v8' });
  const client = new RepositoryClient(`${registry.host}/multi/arch`, { actions: 'pull,push' });
  await pushFixture(client, amd64);
  await pushFixture(client, arm64);
  const index = fixtureIndex([
    { image: amd64, os: 'linux', architecture: 'amd64' },
    { image: arm64, os: 'linux', architecture: 'arm64', variant: 'v8' },
  ]);
  await client.putManifest('v1', index, MEDIA_TYPES.ociIndex);

  const name = `${registry.host}/multi/arch:v1`;
  const byDefault = cli(['image', 'pull', name]);
  assert.equal(byDefault.code, 0, byDefault.stderr);
  assert.match(byDefault.stdout, new RegExp(`Digest: ${sha256(index)}`));
  assert.equal(inspect(name).Id, amd64.id);
  assert.equal(inspect(name).Architecture, 'amd64');

  const arm = cli(['image', 'pull', '--platform', 'linux/arm64', name]);
  assert.equal(arm.code, 0, arm.stderr);
  assert.equal(inspect(name).Id, arm64.id);
  assert.equal(inspect(name).Architecture, 'arm64');

  const none = cli(['image', 'pull', '--platform', 'linux/s390x', name]);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /no matching manifest for linux\/s390x in the manifest list entries/);
});

test('a blob altered in the registry is refused and nothing of the pull is stored', { skip }, async () => {
  const image = fixtureImage([{ 'a.txt': 'first layer\n' }, { 'b.txt': 'second layer, to be altered\n'.repeat(100) }]);
  const client = new RepositoryClient(`${registry.host}/bad/blob`, { actions: 'pull,push' });
  await pushFixture(client, image, 'v1');
  const altered = sha256(image.layers[1]!);
  const path = registryBlobPath(registry, altered);
  const bytes = readFileSync(path);
  bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff; // same size, other content
  writeFileSync(path, bytes);

  const blobsBefore = storedBlobs();
  const r = cli(['image', 'pull', `${registry.host}/bad/blob:v1`]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, new RegExp(`failed to verify blob ${altered}`));
  assert.deepEqual(storedBlobs().sort(), blobsBefore.sort(), 'the pull left blobs behind');
  assert.deepEqual(inFlight(), []);
  assert.notEqual(cli(['image', 'inspect', `${registry.host}/bad/blob:v1`]).code, 0);
  assert.ok(!existsSync(join(engine.config.root, 'image', 'images', `${image.id.slice(7)}.json`)));
});

/** What a pull leaves in flight: download temp files and unpack temp dirs (none once it is over). */
function inFlight(): string[] {
  const image = join(engine.config.root, 'image');
  return [...readdirSync(join(image, 'ingest')), ...readdirSync(join(image, 'snapshots')).filter((name) => name.startsWith('.tmp-'))];
}

test('a layer unpacked while it downloads: an escaping entry is refused and nothing of the pull is stored', { skip }, async () => {
  const good = { 'ok.txt': 'fine\n' };
  const image = fixtureImage([good, { 'data.bin': Buffer.alloc(3 << 20, 7), '../escape.txt': 'out\n' }]);
  await pushFixture(new RepositoryClient(`${registry.host}/bad/escape`, { actions: 'pull,push' }), image, 'v1');
  const blobsBefore = storedBlobs();
  const r = cli(['image', 'pull', `${registry.host}/bad/escape:v1`]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /escape\.txt/);
  assert.deepEqual(storedBlobs().sort(), blobsBefore.sort(), 'the pull left blobs behind');
  assert.deepEqual(inFlight(), []);
  assert.ok(!existsSync(join(engine.config.root, 'image', 'escape.txt')));
  assert.notEqual(cli(['image', 'inspect', `${registry.host}/bad/escape:v1`]).code, 0);
});

test('unknown tags and repositories fail with Docker\'s messages', { skip }, () => {
  const missingTag = cli(['image', 'pull', `${registry.host}/test/busybox:nope`]);
  assert.notEqual(missingTag.code, 0);
  assert.match(missingTag.stderr, /manifest unknown/);
  const missingImage = cli(['image', 'push', `${registry.host}/not/here:1`]);
  assert.notEqual(missingImage.code, 0);
  assert.match(missingImage.stderr, /An image does not exist locally with the tag: 127\.0\.0\.1:\d+\/not\/here/);
});
