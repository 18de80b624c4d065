// The pieces of `publish`: findings, layers (renamed references), the manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { envFindings, isLiteral, isSensitiveKey, bindMountFindings } from '../../src/compose/publish/findings.js';
import { buildLayers } from '../../src/compose/publish/layers.js';
import { artifactManifest } from '../../src/compose/publish/manifest.js';
import { readSourceFiles } from '../../src/compose/publish/source-files.js';
import { fixtureDir } from '../helpers/fixture-dir.js';

const sha = (s: string | Buffer) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

test('sensitive key names', () => {
  for (const k of ['MYSQL_ROOT_PASSWORD', 'DB_PASSWORD', 'API_KEY', 'githubToken', 'AWS_SECRET_ACCESS_KEY', 'DB_PASS', 'SSH_KEY', 'apikey']) assert.ok(isSensitiveKey(k), k);
  for (const k of ['FOO', 'TEST', 'HOME', 'PATH', 'KEYBOARD_LAYOUT', 'BYPASS']) assert.ok(!isSensitiveKey(k), k);
});

test('literal values: interpolation stays symbolic, $$ is a literal dollar', () => {
  for (const v of ['bar', 'a$$b', 42, 'x$']) assert.ok(isLiteral(v), String(v));
  for (const v of ['${SOMEVAR}', '$SOMEVAR', 'pre-${X:-d}', '', null, undefined]) assert.ok(!isLiteral(v), String(v));
});

test('env findings: list and mapping forms, env_file forms, services sorted', () => {
  const dir = fixtureDir({
    'compose.yaml': [
      'services:',
      '  z:',
      '    image: x',
      '    environment: ["API_KEY=1", "TOKEN", "PASSWORD=${P}"]',
      '  a:',
      '    image: x',
      '    env_file: [{path: a.env, required: false}]',
      '    environment: {SECRET: s, FOO: bar}',
      '  clean:',
      '    image: x',
      '    environment: {FOO: bar}',
      '',
    ].join('\n'),
  });
  try {
    const found = envFindings(readSourceFiles([dir.file('compose.yaml')]));
    assert.deepEqual([...found.keys()], ['a', 'z']);
    assert.deepEqual(found.get('a'), { envFile: true, literalKeys: new Set(['SECRET']) });
    assert.deepEqual(found.get('z'), { envFile: false, literalKeys: new Set(['API_KEY']) });
  } finally {
    dir.cleanup();
  }
});

test('bind mounts: source:target:mode, named volumes ignored', () => {
  const found = bindMountFindings({
    web: { volumes: [{ type: 'bind', source: '/home/u', target: '/data', read_only: true, bind: { propagation: 'rprivate' } }, { type: 'volume', source: 'v', target: '/v' }] },
    db: { volumes: [{ type: 'volume', source: 'v', target: '/v' }] },
  });
  assert.deepEqual([...found], [['web', ['/home/u:/data:ro,rprivate']]]);
});

test('layers: files as written; extends parents and env files (with --with-env) renamed to hashes', () => {
  const main = 'services:\n  test:\n    extends:\n      file: common.yaml\n      service: foo\n    env_file: test.env\n';
  const dir = fixtureDir({ 'compose.yaml': main, 'common.yaml': 'services:\n  foo:\n    image: bar\n', 'test.env': 'HELLO=WORLD\n' });
  try {
    const files = readSourceFiles([dir.file('compose.yaml')]);
    const without = buildLayers(files, { withEnv: false, projectDir: dir.path, version: '1.2.3' });
    const commonName = `${createHash('sha256').update(dir.file('common.yaml')).digest('hex')}.yaml`;
    assert.equal(without.length, 2);
    assert.match(without[0]!.bytes.toString(), new RegExp(`file: ${commonName}\\n`));
    assert.match(without[0]!.bytes.toString(), /env_file: test\.env/);
    assert.deepEqual(without[0]!.annotations, { 'com.docker.compose.version': '1.2.3', 'com.docker.compose.file': 'compose.yaml' });
    assert.deepEqual(without[1]!.annotations, { 'com.docker.compose.version': '1.2.3', 'com.docker.compose.file': commonName, 'com.docker.compose.extends': 'true' });
    assert.equal(without[1]!.bytes.toString(), 'services:\n  foo:\n    image: bar\n');
    assert.equal(without[1]!.digest, sha(without[1]!.bytes));

    const withEnv = buildLayers(files, { withEnv: true, projectDir: dir.path, version: '1.2.3' });
    const envName = `${createHash('sha256').update(dir.file('test.env')).digest('hex')}.env`;
    assert.equal(withEnv.length, 3);
    assert.match(withEnv[0]!.bytes.toString(), new RegExp(`env_file: ${envName}`));
    assert.equal(withEnv[2]!.mediaType, 'application/vnd.docker.compose.envfile');
    assert.equal(withEnv[2]!.annotations['com.docker.compose.envfile'], envName);
    assert.equal(withEnv[2]!.bytes.toString(), 'HELLO=WORLD\n');
  } finally {
    dir.cleanup();
  }
});

test('a file with nothing to rename is published byte for byte', () => {
  const text = '# comment kept\nservices:\n  web:   {image: "nginx"}   # odd spacing kept\n';
  const dir = fixtureDir({ 'compose.yaml': text });
  try {
    const [l] = buildLayers(readSourceFiles([dir.file('compose.yaml')]), { withEnv: true, projectDir: dir.path, version: 'v' });
    assert.equal(l!.bytes.toString(), text);
    assert.equal(l!.mediaType, 'application/vnd.docker.compose.file+yaml');
  } finally {
    dir.cleanup();
  }
});

test('manifest: OCI 1.1 has artifactType and the empty config; 1.0 a typed config', () => {
  const layers = [{ mediaType: 'application/vnd.docker.compose.file+yaml', digest: sha('x'), size: 1, annotations: { a: 'b' }, bytes: Buffer.from('x') }];
  const v11 = artifactManifest(layers, '1.1', new Date('2024-01-02T03:04:05.678Z'), '1.0.0');
  const doc = JSON.parse(v11.bytes.toString());
  assert.equal(doc.artifactType, 'application/vnd.docker.compose.project');
  assert.equal(doc.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.deepEqual(doc.config, { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha('{}'), size: 2 });
  assert.deepEqual(doc.layers, [{ mediaType: layers[0]!.mediaType, digest: sha('x'), size: 1, annotations: { a: 'b' } }]);
  assert.equal(doc.annotations['org.opencontainers.image.created'], '2024-01-02T03:04:05Z');
  const v10 = JSON.parse(artifactManifest(layers, '1.0', new Date(), '1.0.0').bytes.toString());
  assert.equal(v10.artifactType, undefined);
  assert.equal(v10.config.mediaType, 'application/vnd.docker.compose.config.empty.v1+json');
});
