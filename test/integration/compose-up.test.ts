/** Compose end to end (root): `up`/`down` and the everyday commands on real stacks, through the CLI. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fixtureDir, type FixtureDir } from '../helpers/fixture-dir.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { CLI_ENTRY, REPO_ROOT } from '../helpers/paths.js';

let engine: TestEngine;
let project: FixtureDir;

const STACK = `
name: itest
services:
  db:
    image: tscompose/busybox:latest
    init: true
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 100000"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      start_interval: 100ms
      start_period: 10s
    volumes: [data:/data]
  web:
    image: tscompose/busybox:latest
    init: true
    command: ["sh", "-c", "mkdir -p /srv && echo hello-web > /srv/index.html && exec httpd -f -p 80 -h /srv"]
    ports: ["127.0.0.1:\${WEB_PORT:-18080}:80"]
    depends_on:
      db: { condition: service_healthy }
  worker:
    image: tscompose/busybox:latest
    init: true
    command: ["sh", "-c", "echo worker started; exec sleep 100000"]
volumes:
  data: {}
`;

before(async () => {
  engine = await startTestEngine('compose');
  project = fixtureDir({ 'compose.yaml': STACK });
});

after(async () => {
  compose(['down', '-v', '-t', '0']);
  project.cleanup();
  assert.deepEqual(await engine.stop(), []);
});

function compose(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI_ENTRY, '--progress', 'plain', ...args], { cwd: project.path, env: { ...engine.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function psJson(): Array<Record<string, string>> {
  return compose(['ps', '-a', '--format', 'json']).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
}

test('up -d --wait returns once db is healthy and everything runs', () => {
  const r = compose(['up', '-d', '--wait']);
  assert.equal(r.code, 0, r.stderr);
  const ps = psJson();
  assert.deepEqual(ps.map((c) => c.Name).sort(), ['itest-db-1', 'itest-web-1', 'itest-worker-1']);
  assert.ok(ps.every((c) => c.State === 'running'), JSON.stringify(ps));
  assert.equal(ps.find((c) => c.Service === 'db')!.Health, 'healthy');
});

test('ps --format json has Docker Compose fields', () => {
  const row = psJson().find((c) => c.Service === 'web')!;
  for (const field of ['Command', 'CreatedAt', 'ExitCode', 'Health', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Name', 'Names', 'Networks', 'Ports', 'Project', 'Publishers', 'RunningFor', 'Service', 'Size', 'State', 'Status']) {
    assert.ok(field in row, `missing ${field}`);
  }
  assert.equal(row.Project, 'itest');
  assert.match(String(row.Ports), /127\.0\.0\.1:18080->80\/tcp/);
});

test('a published port answers on 127.0.0.1', async () => {
  const body = await (await fetch('http://127.0.0.1:18080/')).text();
  assert.equal(body.trim(), 'hello-web');
});

test('logs, exec and run --rm', () => {
  assert.match(compose(['logs', 'worker']).stdout, /worker-1\s+\| worker started/);
  const exec = compose(['exec', '-T', 'worker', 'sh', '-c', 'wget -q -O - http://web/']);
  assert.equal(exec.stdout.trim(), 'hello-web', exec.stderr);
  const run = compose(['run', '--rm', '-T', 'worker', 'sh', '-c', 'nslookup db >/dev/null && exit 5']);
  assert.equal(run.code, 5, run.stderr);
  assert.equal(psJson().filter((c) => String(c.Name).includes('-run-')).length, 0, 'run --rm left its container');
});

test('scale up to 3 and back down to 1: names -1 -2 -3, DNS returns every replica', () => {
  assert.equal(compose(['up', '-d', '--scale', 'worker=3']).code, 0);
  const names = psJson().filter((c) => c.Service === 'worker').map((c) => c.Name).sort();
  assert.deepEqual(names, ['itest-worker-1', 'itest-worker-2', 'itest-worker-3']);
  const lookup = compose(['exec', '-T', 'db', 'nslookup', 'worker']).stdout;
  assert.equal((lookup.match(/Address: \d+\.\d+\.\d+\.\d+/g) ?? []).length, 3, lookup);
  assert.equal(compose(['up', '-d', '--scale', 'worker=1']).code, 0);
  assert.deepEqual(psJson().filter((c) => c.Service === 'worker').map((c) => c.Name), ['itest-worker-1']);
});

test('a changed port recreates only that service and says why', () => {
  const before = psJson();
  const r = compose(['up', '-d'], { WEB_PORT: '18081' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Container itest-web-1\s+Recreate \(ports changed\)/);
  const after = psJson();
  const id = (rows: typeof before, s: string) => rows.find((c) => c.Service === s)!.ID;
  assert.notEqual(id(after, 'web'), id(before, 'web'));
  assert.equal(id(after, 'db'), id(before, 'db'));
  assert.equal(id(after, 'worker'), id(before, 'worker'));
});

test('a named volume keeps its data across down/up; down -v removes it and leaves nothing', () => {
  compose(['exec', '-T', 'db', 'sh', '-c', 'echo kept > /data/file']);
  assert.equal(compose(['down', '-t', '0']).code, 0);
  assert.equal(compose(['up', '-d', '--wait', 'db']).code, 0);
  assert.equal(compose(['exec', '-T', 'db', 'cat', '/data/file']).stdout.trim(), 'kept');
  const down = compose(['down', '-v', '-t', '0']);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stderr, /Volume itest_data\s+Removed/);
  assert.equal(psJson().length, 0);
  const networks = spawnSync(process.execPath, [CLI_ENTRY, 'network', 'ls', '--format', 'json'], { env: engine.env, encoding: 'utf8' }).stdout;
  assert.doesNotMatch(networks, /itest_default/);
});

test('a host port already in use is reported before anything of the project starts', async () => {
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(18090, '127.0.0.1', resolve));
  try {
    const r = compose(['up', '-d'], { WEB_PORT: '18090' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /127\.0\.0\.1:18090 failed: port is already allocated/);
    assert.equal(psJson().length, 0, 'nothing was created');
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('--dry-run prints the plan and changes nothing', () => {
  const r = compose(['--dry-run', 'up', '-d']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /DRY-RUN: create itest-db-1/);
  assert.equal(psJson().length, 0);
});

test('examples/ci-tests: up --exit-code-from tests returns the tests\' exit code; run --rm too', () => {
  const file = join(REPO_ROOT, 'examples/ci-tests/compose.yaml');
  const run = (args: string[]) => spawnSync(process.execPath, [CLI_ENTRY, '--progress', 'plain', '-f', file, ...args], { env: engine.env, encoding: 'utf8', timeout: 60_000 });
  const up = run(['up', '--exit-code-from', 'tests']);
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stdout, /tests-1\s+\| PASS: api answered ok/);
  const failing = spawnSync(process.execPath, [CLI_ENTRY, '-f', file, 'run', '--rm', '-T', '-e', 'EXPECTED=nope', 'tests'], { env: engine.env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(failing.status, 1, failing.stderr);
  run(['down', '-t', '0']);
});
