// The compose round trip through a real registry (Debian's docker-registry on 127.0.0.1): `build` a service
// whose `image:` names the registry, `push` it, drop it locally, `pull` it back: the same image, and it runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (builds run containers)') || registryMissing();
let engine: TestEngine;
let registry: TestRegistry;
let dir: string;

before(async () => {
  if (skip) return;
  registry = await startRegistry();
  engine = await startTestEngine('build-push');
  dir = mkdtempSync(join(tmpdir(), 'tscompose-build-push-'));
  engine.env.DOCKER_CONFIG = dir; // never the user's own credentials file
  writeFileSync(join(dir, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo pushed-and-back > /marker\nCMD ["cat", "/marker"]\n`);
  writeFileSync(join(dir, 'compose.yaml'), `services:\n  app:\n    image: ${registry.host}/team/app:1\n    build: .\n`);
});

after(async () => {
  if (skip) return;
  rmSync(dir, { recursive: true, force: true });
  const leftovers = await engine.stop();
  await registry.stop();
  assert.deepEqual(leftovers, []);
});

const imageId = (ref: string): string => (JSON.parse(engine.cli(['image', 'inspect', ref]).stdout || '[{}]') as Array<{ Id?: string }>)[0]?.Id ?? '';
const compose = (...args: string[]) => engine.cli(['--progress', 'plain', '-f', join(dir, 'compose.yaml'), ...args], { timeoutMs: 120_000 });

test('build, push, remove, pull: the same image comes back and runs', { skip }, () => {
  const built = compose('build');
  assert.equal(built.code, 0, built.stderr);
  const image = `${registry.host}/team/app:1`;
  const id = imageId(image);
  assert.match(id, /^sha256:/);
  const pushed = compose('push');
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stderr, /Image .*team\/app:1 Pushed/);
  assert.equal(engine.cli(['image', 'rm', image]).code, 0);
  const pulled = compose('pull');
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.equal(imageId(image), id);
  const run = compose('run', '--rm', 'app');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /pushed-and-back/);
});

test('FROM an image of a registry that needs a login: pulled with the stored credentials, refused clearly without', { skip }, async () => {
  const htpasswd = join(dir, 'htpasswd');
  writeFileSync(htpasswd, execFileSync('htpasswd', ['-Bbn', 'builder', 'pw-123']));
  const locked = await startRegistry({ auth: { htpasswd } });
  try {
    const base = `${locked.host}/base/busybox:1`;
    assert.equal(engine.cli(['image', 'tag', TEST_IMAGE, base]).code, 0);
    assert.equal(engine.cli(['login', '-u', 'builder', '-p', 'pw-123', locked.host]).code, 0);
    assert.equal(engine.cli(['image', 'push', base]).code, 0);
    assert.equal(engine.cli(['image', 'rm', base]).code, 0);
    const project = join(dir, 'locked');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'compose.yaml'), `services:\n  app:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM ${base}\n        RUN echo from-locked > /m\n`);
    const lockedCompose = (...args: string[]) => engine.cli(['--progress', 'plain', '-f', join(project, 'compose.yaml'), ...args], { timeoutMs: 120_000 });
    assert.equal(engine.cli(['logout', locked.host]).code, 0);
    const refused = lockedCompose('build');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Dockerfile:1: failed to resolve source metadata for .*(denied|unauthorized)/);
    assert.equal(engine.cli(['login', '-u', 'builder', '-p', 'pw-123', locked.host]).code, 0);
    const built = lockedCompose('build');
    assert.equal(built.code, 0, built.stderr);
    assert.match(lockedCompose('run', '--rm', 'app', 'cat', '/m').stdout, /from-locked/);
  } finally {
    engine.cli(['logout', locked.host]);
    await locked.stop();
  }
});

test('pull of a pinned tag already here: skipped with pull_policy missing, pulled with daily or always', { skip }, () => {
  const image = `${registry.host}/team/pinned:2`;
  assert.equal(engine.cli(['image', 'tag', TEST_IMAGE, image]).code, 0);
  assert.equal(engine.cli(['image', 'push', image]).code, 0);
  const project = join(dir, 'pinned');
  execFileSync('mkdir', ['-p', project]);
  const pullWith = (policy: string) => {
    writeFileSync(join(project, 'compose.yaml'), `services:\n  app:\n    image: ${image}\n    pull_policy: ${policy}\n`);
    const r = engine.cli(['--progress', 'plain', '-f', join(project, 'compose.yaml'), 'pull'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    return r.stderr;
  };
  try {
    assert.match(pullWith('missing'), /team\/pinned:2 Skipped Image is already present locally/);
    for (const policy of ['daily', 'always']) assert.match(pullWith(policy), /team\/pinned:2 Pulled/, policy);
  } finally {
    engine.cli(['image', 'rm', image]);
  }
});
