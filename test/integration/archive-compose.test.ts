/** `tscompose cp` on a scaled service, after docker compose's TestCopy: to every replica, one with --index, and back. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI_ENTRY } from '../helpers/paths.js';
import { fixtureDir, type FixtureDir } from '../helpers/fixture-dir.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (containers)');
const STACK = `name: cptest
services:
  app:
    image: tscompose/busybox:latest
    command: ["sleep", "1000"]
    deploy:
      replicas: 2
`;
let engine: TestEngine;
let project: FixtureDir;

before(async () => {
  if (skip) return;
  engine = await startTestEngine('archive-compose');
  project = fixtureDir({ 'compose.yaml': STACK, 'cp-me.txt': 'hello world\n', 'cp-folder/cp-me.txt': 'hello world from folder\n' });
});

after(async () => {
  if (skip) return;
  compose(['down', '-t', '0']);
  project.cleanup();
  assert.deepEqual(await engine.stop(), []);
});

function compose(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI_ENTRY, '--progress', 'plain', ...args], { cwd: project.path, env: engine.env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[]): string {
  const r = compose(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const cat = (replica: number, path: string) => compose(['exec', '-T', '--index', String(replica), 'app', 'cat', path]);

test('cp reaches every replica by default, one with --index, and copies back from replica 1 or --index', { skip }, () => {
  ok(['up', '-d']);
  const copied = compose(['cp', project.file('cp-me.txt'), 'app:/tmp/default.txt']);
  assert.equal(copied.code, 0, copied.stderr);
  assert.match(copied.stderr, /cptest-app-2 Copied/);
  assert.equal(cat(1, '/tmp/default.txt').stdout, 'hello world\n');
  assert.equal(cat(2, '/tmp/default.txt').stdout, 'hello world\n');

  ok(['cp', '--index=2', project.file('cp-me.txt'), 'app:/tmp/indexed.txt']);
  assert.equal(cat(2, '/tmp/indexed.txt').stdout, 'hello world\n');
  assert.equal(cat(1, '/tmp/indexed.txt').code, 1);

  ok(['cp', 'app:/tmp/default.txt', project.file('from-default.txt')]);
  assert.equal(readFileSync(project.file('from-default.txt'), 'utf8'), 'hello world\n');
  ok(['cp', '--index=2', 'app:/tmp/indexed.txt', project.file('from-indexed.txt')]);
  assert.equal(readFileSync(project.file('from-indexed.txt'), 'utf8'), 'hello world\n');
  assert.notEqual(compose(['cp', 'app:/tmp/indexed.txt', project.file('nope.txt')]).code, 0); // replica 1 has none

  ok(['cp', project.file('cp-folder'), 'app:/tmp']);
  assert.equal(cat(1, '/tmp/cp-folder/cp-me.txt').stdout, 'hello world from folder\n');
  ok(['cp', 'app:/tmp/cp-folder', project.file('cp-folder2')]);
  assert.equal(readFileSync(project.file('cp-folder2/cp-me.txt'), 'utf8'), 'hello world from folder\n');

  assert.match(compose(['cp', '--index=7', 'app:/tmp/x', project.file('x')]).stderr, /service "app" is not running container #7/);
  assert.match(compose(['cp', 'ghost:/tmp/x', project.file('x')]).stderr, /no container found for service "ghost"/);
});
