// Registry client pieces without a registry: challenges, platforms, credentials, endpoints, manifests, retries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChallenges } from '../../src/image/registry/auth-challenge.js';
import { parsePlatform, selectManifest } from '../../src/image/registry/platform.js';
import { decodeRegistryAuth, encodeRegistryAuth, readCredentials, removeCredentials, storeCredentials } from '../../src/image/registry/credentials.js';
import { endpointFor } from '../../src/image/registry/endpoint.js';
import { parseManifest, layerCompression } from '../../src/image/registry/manifest.js';
import { progressBar } from '../../src/image/registry/progress.js';
import { RepositoryClient } from '../../src/image/registry/repository-client.js';
import { MEDIA_TYPES } from '../../src/image/oci-types.js';

test('WWW-Authenticate challenges: bearer with quoted params, several challenges', () => {
  const [bearer] = parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"');
  assert.equal(bearer!.scheme, 'bearer');
  assert.deepEqual(bearer!.params, { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' });
  const both = parseChallenges('Basic realm="x, y", Bearer realm="r",error="insufficient_scope"');
  assert.deepEqual(both.map((c) => c.scheme), ['basic', 'bearer']);
  assert.equal(both[0]!.params.realm, 'x, y');
  assert.equal(both[1]!.params.error, 'insufficient_scope');
});

test('platforms: parsing, defaults, index selection', () => {
  assert.deepEqual(parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64' });
  assert.throws(() => parsePlatform('linux//'), /unknown operating system or architecture/);
  const d = (digest: string, architecture: string, variant?: string) => ({ mediaType: MEDIA_TYPES.ociManifest, digest, size: 1, platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) } });
  const entries = [d('a', 'amd64'), d('b', 'arm', 'v6'), d('c', 'arm', 'v7'), d('e', 'arm64')];
  assert.equal(selectManifest(entries, parsePlatform('linux/amd64')).digest, 'a');
  assert.equal(selectManifest(entries, parsePlatform('linux/arm')).digest, 'c');
  assert.equal(selectManifest(entries, parsePlatform('linux/arm/v6')).digest, 'b');
  assert.equal(selectManifest(entries, parsePlatform('linux/arm64/v8')).digest, 'e');
  assert.throws(() => selectManifest(entries, parsePlatform('linux/ppc64le')), /no matching manifest for linux\/ppc64le/);
});

test('credentials: config.json entries, Docker Hub key, X-Registry-Auth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-creds-'));
  const env = { DOCKER_CONFIG: dir };
  try {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') } }, credsStore: '' }));
    assert.deepEqual(readCredentials('docker.io', env), { serveraddress: 'https://index.docker.io/v1/', username: 'hub', password: 'pw' });
    storeCredentials('127.0.0.1:5000', 'me', 'p:ss', env);
    assert.equal(readCredentials('127.0.0.1:5000', env)!.password, 'p:ss');
    assert.equal(statSync(join(dir, 'config.json')).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).credsStore, '', 'other settings are kept');
    assert.equal(removeCredentials('127.0.0.1:5000', env), true);
    assert.equal(readCredentials('127.0.0.1:5000', env), undefined);
    assert.equal(removeCredentials('127.0.0.1:5000', env), false);
    const header = encodeRegistryAuth({ username: 'u', password: 'p' });
    assert.doesNotMatch(header, /[+/=]/);
    assert.deepEqual(decodeRegistryAuth(header), { username: 'u', password: 'p' });
    assert.equal(decodeRegistryAuth(encodeRegistryAuth({})), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('endpoints: Docker Hub host, HTTP only for loopback and listed insecure registries', () => {
  assert.equal(endpointFor('docker.io', {}).baseUrl, 'https://registry-1.docker.io');
  assert.equal(endpointFor('localhost:5000', {}).baseUrl, 'http://localhost:5000');
  assert.equal(endpointFor('[::1]:5000', {}).baseUrl, 'http://[::1]:5000');
  assert.equal(endpointFor('registry.example:5000', {}).baseUrl, 'https://registry.example:5000');
  assert.equal(endpointFor('registry.example:5000', { TSCOMPOSE_INSECURE_REGISTRIES: 'other, registry.example:5000' }).baseUrl, 'http://registry.example:5000');
});

test('manifests: kinds, schema 1 refused, layer compression', () => {
  const index = parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] })), MEDIA_TYPES.dockerManifestList);
  assert.equal(index.kind, 'index');
  assert.throws(() => parseManifest(Buffer.from('{"schemaVersion":1}'), undefined), /schema 1 is not supported/);
  assert.equal(layerCompression(MEDIA_TYPES.dockerLayerGzip), 'gzip');
  assert.equal(layerCompression(MEDIA_TYPES.ociLayer), 'none');
  assert.equal(layerCompression(MEDIA_TYPES.ociLayerZstd), 'zstd');
  assert.equal(layerCompression('application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'), 'gzip');
  assert.match(progressBar(50, 100, 10), /^\[====>     \]/);
});

test('5xx answers are retried with back-off; 404 is not', async () => {
  let calls = 0;
  const server = createServer((req, res) => {
    calls++;
    if (req.url!.includes('flaky') && calls < 3) return res.writeHead(503).end();
    if (req.url!.includes('flaky')) return res.writeHead(200, { 'Content-Type': MEDIA_TYPES.ociManifest }).end(JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
    res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const flaky = new RepositoryClient(`127.0.0.1:${port}/flaky`);
    assert.equal((await flaky.getManifest('v1')).kind, 'manifest');
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(new RepositoryClient(`127.0.0.1:${port}/gone`).getManifest('v1'), /manifest for 127\.0\.0\.1:\d+\/gone:v1 not found: manifest unknown/);
    assert.equal(calls, 1);
  } finally {
    server.close();
  }
});
