// `publish` to a real registry (Debian's docker-registry on 127.0.0.1), then the artifact fetched back:
// manifest as docker compose writes it, each layer byte for byte the user's file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTscompose } from '../helpers/cli.js';
import { fixtureImage, pushFixture } from '../helpers/oci-fixtures.js';
import { fixtureDir, type FixtureDir } from '../helpers/fixture-dir.js';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { RepositoryClient } from '../../src/image/registry/repository-client.js';

const skip = registryMissing();
let registry: TestRegistry;
let dockerConfig: string;
let project: FixtureDir;

const COMPOSE = '# the app\nservices:\n  app:\n    image: alpine\n    env_file: app.env\n';
const OVERRIDE = 'services:\n  app:\n    environment:\n      HELLO: "${GREETING:-WORLD}"\n';

before(async () => {
  if (skip) return;
  registry = await startRegistry();
  dockerConfig = mkdtempSync(join(tmpdir(), 'tscompose-dockercfg-'));
  project = fixtureDir({ 'compose.yaml': COMPOSE, 'compose.override.yaml': OVERRIDE, 'app.env': 'A=1\n' });
});

after(async () => {
  if (skip) return;
  await registry.stop();
  rmSync(dockerConfig, { recursive: true, force: true });
  project.cleanup();
});

function publish(args: string[]) {
  // Only loopback registries may be contacted, and never the user's credentials file.
  return runTscompose(['-f', 'compose.yaml', '-f', 'compose.override.yaml', 'publish', ...args], {
    cwd: project.path,
    env: { TSCOMPOSE_REGISTRY_ALLOW: 'loopback', DOCKER_CONFIG: dockerConfig },
  });
}

async function fetchBack(ref: string) {
  const client = new RepositoryClient(ref, { env: { TSCOMPOSE_REGISTRY_ALLOW: 'loopback' } });
  const fetched = await client.getManifest(ref.split(':').pop()!);
  assert.equal(fetched.kind, 'manifest');
  const doc = JSON.parse(fetched.bytes.toString()) as {
    artifactType?: string;
    config: { mediaType: string; digest: string; size: number };
    layers: Array<{ mediaType: string; digest: string; size: number; annotations: Record<string, string> }>;
  };
  const blobs = await Promise.all(doc.layers.map((l) => client.fetchBlob(l.digest, l.size)));
  return { doc, blobs, config: await client.fetchBlob(doc.config.digest, doc.config.size) };
}

test('publish then fetch back: OCI 1.1 manifest, each compose file a layer equal to the file', { skip }, async () => {
  const ref = `${registry.host}/test/app:1`;
  const r = publish(['--with-env', ref]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`${ref} publishing\\n[\\s\\S]* ${ref} published`));

  const { doc, blobs, config } = await fetchBack(ref);
  assert.equal(doc.artifactType, 'application/vnd.docker.compose.project');
  assert.equal(doc.config.mediaType, 'application/vnd.oci.empty.v1+json');
  assert.equal(config.toString(), '{}');
  assert.deepEqual(doc.layers.map((l) => l.mediaType), ['application/vnd.docker.compose.file+yaml', 'application/vnd.docker.compose.file+yaml', 'application/vnd.docker.compose.envfile']);
  assert.deepEqual(doc.layers.map((l) => l.annotations['com.docker.compose.file'] ?? l.annotations['com.docker.compose.envfile']?.replace(/^[a-f0-9]{64}/, 'HASH')), ['compose.yaml', 'compose.override.yaml', 'HASH.env']);
  // env_file now names the published env layer; the override (nothing renamed) is the user's file exactly.
  assert.equal(blobs[0]!.toString(), COMPOSE.replace('app.env', doc.layers[2]!.annotations['com.docker.compose.envfile']!));
  assert.equal(blobs[1]!.toString(), readFileSync(project.file('compose.override.yaml'), 'utf8'));
  assert.equal(blobs[2]!.toString(), 'A=1\n');
});

test('--oci-version 1.0: no artifactType, the compose config type tells what it is', { skip }, async () => {
  const ref = `${registry.host}/test/app:old`;
  const r = publish(['--with-env', '--oci-version', '1.0', ref]);
  assert.equal(r.code, 0, r.stderr);
  const { doc, blobs } = await fetchBack(ref);
  assert.equal(doc.artifactType, undefined);
  assert.equal(doc.config.mediaType, 'application/vnd.docker.compose.config.empty.v1+json');
  assert.equal(blobs[1]!.toString(), OVERRIDE);
});

test('--dry-run contacts nobody and pushes nothing', { skip }, async () => {
  const ref = `${registry.host}/test/app:dry`;
  const r = publish(['--with-env', '--dry-run', ref]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, / published/);
  await assert.rejects(fetchBack(ref), /not found/);
});

test('declined: nothing is pushed, exit 130', { skip }, async () => {
  const ref = `${registry.host}/test/app:declined`;
  const r = publish([ref]);
  assert.equal(r.code, 130, r.stderr);
  await assert.rejects(fetchBack(ref), /not found/);
});

test('--resolve-image-digests adds image-digests.yaml pinning each image to its registry digest', { skip }, async () => {
  const image = fixtureImage([{ 'hello.txt': 'hi' }]);
  const imageRef = `${registry.host}/test/base:1`;
  await pushFixture(new RepositoryClient(imageRef, { actions: 'pull,push', env: { TSCOMPOSE_REGISTRY_ALLOW: 'loopback' } }), image, '1');
  const dir = fixtureDir({ 'compose.yaml': `services:\n  app:\n    image: ${imageRef}\n` });
  try {
    const ref = `${registry.host}/test/pinned:1`;
    const r = runTscompose(['publish', '--resolve-image-digests', ref], { cwd: dir.path, env: { TSCOMPOSE_REGISTRY_ALLOW: 'loopback', DOCKER_CONFIG: dockerConfig } });
    assert.equal(r.code, 0, r.stderr);
    const { doc, blobs } = await fetchBack(ref);
    assert.equal(doc.layers[1]!.annotations['com.docker.compose.file'], 'image-digests.yaml');
    assert.equal(blobs[1]!.toString(), `services:\n  app:\n    image: ${imageRef}@${image.manifestDigest}\n`);
  } finally {
    dir.cleanup();
  }
});
