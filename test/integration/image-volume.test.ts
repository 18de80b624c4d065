/** `type: image` mounts (root): an image's filesystem, or one directory of it, read-only inside a container. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (containers)');
let engine: TestEngine;
let base: string;

before(async () => {
  if (skip) return;
  engine = await startTestEngine('image-volume');
  base = mkdtempSync(join(tmpdir(), 'tscompose-image-volume-'));
  cliOk(['image', 'tag', TEST_IMAGE, 'imgvol/source:one']);
  // a second layer on top of busybox: the overlay path (the single-layer source is a plain bind)
  const context = join(base, 'ctx');
  mkdirSync(context);
  writeFileSync(join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN mkdir -p /data && echo hi > /data/x\n`);
  cliOk(['image', 'build', '-t', 'imgvol/source:two', context]);
});

after(async () => {
  if (skip) return;
  compose(['down', '-t', '0']);
  rmSync(base, { recursive: true, force: true });
  const leftovers = await engine.stop();
  assert.deepEqual(leftovers, [], 'the engine left objects on the host (nothing may stay mounted under its root)');
});

function cliOk(args: string[]): string {
  const r = engine.cli(args, { timeoutMs: 120_000 });
  assert.equal(r.code, 0, `tscompose ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function compose(args: string[]): { code: number; stdout: string; stderr: string } {
  return engine.cli(['-f', join(base, 'compose.yaml'), '-p', 'imgvol', ...args]);
}

describe('image mounts', { skip }, () => {
  test('compose: a subpath of a one-layer image, read-only, shown in inspect as Docker does', () => {
    writeFileSync(join(base, 'compose.yaml'), `services:
  one:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "ls /mnt/image; touch /mnt/image/new && echo WROTE || echo READONLY"]
    volumes:
      - type: image
        source: imgvol/source:one
        target: /mnt/image
        image:
          subpath: etc/
`);
    const up = compose(['up', '--abort-on-container-exit']);
    assert.equal(up.code, 0, up.stderr);
    const logs = compose(['logs', '--no-log-prefix', 'one']).stdout;
    assert.match(logs, /^passwd$/m);
    assert.match(logs, /^READONLY$/m);
    const id = compose(['ps', '-a', '-q', 'one']).stdout.trim();
    const [info] = JSON.parse(cliOk(['container', 'inspect', id])) as Array<{ Mounts: unknown[] }>;
    assert.deepEqual(info!.Mounts, [{ Type: 'image', Source: 'imgvol/source:one', Destination: '/mnt/image', Mode: '', RW: false, Propagation: '' }]);
    compose(['down', '-t', '0']);
  });

  test('--mount type=image of a two-layer image: both layers seen, read-only', () => {
    const r = engine.cli(['container', 'run', '--rm', '--mount', 'type=image,source=imgvol/source:two,target=/img', TEST_IMAGE, 'sh', '-c', 'cat /img/data/x; ls /img/etc/passwd; touch /img/data/y && echo WROTE || echo READONLY']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['hi', '/img/etc/passwd', 'READONLY']);
    const sub = engine.cli(['container', 'run', '--rm', '--mount', 'type=image,source=imgvol/source:two,target=/img,image-subpath=data', TEST_IMAGE, 'ls', '/img']);
    assert.equal(sub.code, 0, sub.stderr);
    assert.equal(sub.stdout, 'x\n');
  });

  test('a missing image is "No such image"; a missing or escaping subpath is refused', () => {
    const missing = engine.cli(['container', 'create', '--mount', 'type=image,source=imgvol/nope,target=/img', TEST_IMAGE]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /No such image: imgvol\/nope/);
    const escaping = engine.cli(['container', 'create', '--mount', 'type=image,source=imgvol/source:one,target=/img,image-subpath=../etc', TEST_IMAGE]);
    assert.notEqual(escaping.code, 0);
    assert.match(escaping.stderr, /must not contain "\.\."/);
    const absent = engine.cli(['container', 'run', '--rm', '--mount', 'type=image,source=imgvol/source:one,target=/img,image-subpath=no/such', TEST_IMAGE, 'true']);
    assert.notEqual(absent.code, 0);
    assert.match(absent.stderr, /subpath does not exist in the image: no\/such/);
  });
});
