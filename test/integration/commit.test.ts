/** `docker commit` (POST /commit): a container's writable layer becomes an image layer; containers run from it. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { create, extract } from 'tar';
import { EngineError } from '../../src/engine/client/http-client.js';
import { digestHex } from '../../src/image/digest.js';
import { busyboxTarball, startTestEngine, type TestEngine } from '../helpers/engine.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (containers)');
/** busybox without /etc/hosts, /etc/hostname, /etc/resolv.conf: the runtime has to make those mount points. */
const BARE_IMAGE = 'tscompose-test/bare:latest';
let engine: TestEngine;
let scratch: string;

before(async () => {
  if (skip) return;
  engine = await startTestEngine('commit');
  scratch = mkdtempSync(join(tmpdir(), 'tscompose-commit-'));
  const rootfs = join(scratch, 'rootfs');
  const dropped = new Set(['etc/hosts', 'etc/hostname', 'etc/resolv.conf']);
  mkdirSync(rootfs);
  await extract({ file: busyboxTarball(), cwd: rootfs, preserveOwner: true, filter: (path) => !dropped.has(path.replace(/^\.\//, '')) });
  await create({ file: join(scratch, 'bare.tar'), cwd: rootfs, portable: false }, ['.']);
  ok(['image', 'import', join(scratch, 'bare.tar'), BARE_IMAGE, '--change', 'CMD ["sh"]', '--change', 'ENV FROM_IMAGE=1']);
});

after(async () => {
  if (skip) return;
  engine.cli(['container', 'rm', '-f', 'commit-src', 'commit-stopped']);
  rmSync(scratch, { recursive: true, force: true });
  assert.deepEqual(await engine.stop(), []);
});

function ok(args: string[]): string {
  const r = engine.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The entry names of an image's top layer, read from the engine's content store. */
function topLayerNames(imageId: string): string[] {
  const imageRoot = join(engine.config.root, 'image');
  const stored = JSON.parse(readFileSync(join(imageRoot, 'images', `${digestHex(imageId)}.json`), 'utf8')) as { layers: Array<{ digest: string }> };
  const tar = gunzipSync(readFileSync(join(imageRoot, 'blobs', 'sha256', digestHex(stored.layers.at(-1)!.digest))));
  const names: string[] = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const prefix = field(345, 155);
    if (field(156, 1) !== 'x') names.push(prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

describe('commit', { skip }, () => {
  let hostDir: string;
  before(() => {
    hostDir = mkdtempSync(join(scratch, 'bind-'));
    ok(['container', 'run', '-d', '--name', 'commit-src', '-e', 'FROM_RUN=2', '-v', `${hostDir}:/mnt/bound`, '--tmpfs', '/scratch', BARE_IMAGE, 'sleep', '1000']);
    ok(['container', 'exec', 'commit-src', 'sh', '-c', 'echo hello > /new && rm /etc/group && echo in-volume > /mnt/bound/f && echo in-tmpfs > /scratch/f']);
  });

  test('a running container: its changes become a layer, changes apply, the container keeps running', async () => {
    const { Id } = await engine.api.commit('commit-src', { repo: 'tscompose-test/committed', tag: 'v1', changes: ['CMD ["cat","/new"]'], comment: 'made by a test', author: 'tester' });
    assert.match(Id, /^sha256:[0-9a-f]{64}$/);
    const state = (await engine.api.inspectContainer('commit-src')).State;
    assert.equal(state.Status, 'running', 'paused for the commit, then unpaused');

    const image = await engine.api.inspectImage('tscompose-test/committed:v1');
    assert.equal(image.Id, Id);
    assert.equal(image.Author, 'tester');
    assert.equal(image.Comment, 'made by a test');
    const config = image.Config as { Cmd: string[]; Env: string[] };
    assert.deepEqual(config.Cmd, ['cat', '/new']);
    assert.ok(config.Env.includes('FROM_IMAGE=1') && config.Env.includes('FROM_RUN=2'), `Env: ${config.Env.join(' ')}`);
    const rootfs = image.RootFS as { Layers: string[] };
    assert.equal(rootfs.Layers.length, 2);

    assert.equal(ok(['container', 'run', '--rm', 'tscompose-test/committed:v1']), 'hello\n');
    const probe = 'test -e /etc/group && echo group || echo no-group; test -e /scratch || echo no-scratch; test -e /mnt || echo no-mnt; echo $FROM_RUN';
    assert.deepEqual(ok(['container', 'run', '--rm', 'tscompose-test/committed:v1', 'sh', '-c', probe]).trim().split('\n'), ['no-group', 'no-scratch', 'no-mnt', '2']);

    const upper = join(engine.config.root, 'containers', (await engine.api.inspectContainer('commit-src')).Id, 'upper');
    for (const made of ['etc/hosts', 'etc/hostname', 'etc/resolv.conf', 'scratch', 'mnt/bound']) assert.ok(existsSync(join(upper, made)), `no placeholder ${made} in the upper dir`);
    const names = topLayerNames(Id);
    assert.ok(names.includes('new'), names.join(' '));
    assert.ok(names.includes('etc/.wh.group'), names.join(' '));
    for (const placeholder of ['etc/hosts', 'etc/hostname', 'etc/resolv.conf', 'scratch/', 'mnt/', 'mnt/bound/', 'mnt/bound/f', 'scratch/f']) {
      assert.ok(!names.includes(placeholder), `${placeholder} is in the layer: ${names.join(' ')}`);
    }
  });

  test('a stopped container, without pausing; a container of the image still gets its /etc files', async () => {
    ok(['container', 'run', '--name', 'commit-stopped', BARE_IMAGE, 'sh', '-c', 'mkdir -p /opt/app && echo v2 > /opt/app/version']);
    const { Id } = await engine.api.commit('commit-stopped', { pause: false, changes: ['ENTRYPOINT ["cat"]', 'CMD ["/opt/app/version"]\nLABEL stage=test'] });
    assert.equal(ok(['container', 'run', '--rm', Id]), 'v2\n');
    const image = await engine.api.inspectImage(Id);
    assert.deepEqual(image.RepoTags, []);
    assert.deepEqual((image.Config as { Labels: Record<string, string> }).Labels, { stage: 'test' });
    assert.match(ok(['container', 'run', '--rm', '--entrypoint', 'sh', Id, '-c', 'cat /etc/hostname /etc/hosts']), /localhost/);
    assert.deepEqual(topLayerNames(Id).filter((n) => !n.startsWith('opt/')), []);
  });

  test('errors: an unknown container is a 404, a bad change a 400', async () => {
    await assert.rejects(engine.api.commit('no-such-container'), (e: unknown) => e instanceof EngineError && e.status === 404);
    await assert.rejects(engine.api.commit('commit-src', { changes: ['FROM busybox'] }), (e: unknown) => e instanceof EngineError && e.status === 400);
    assert.equal((await engine.api.inspectContainer('commit-src')).State.Status, 'running');
  });
});
