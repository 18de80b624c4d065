/** The examples in examples/ (root): each comes up healthy and does what its README line says. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { CLI_ENTRY, REPO_ROOT } from '../helpers/paths.js';

let engine: TestEngine;

before(async () => {
  engine = await startTestEngine('examples');
});

after(async () => {
  assert.deepEqual(await engine.stop(), []);
});

function compose(example: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const file = join(REPO_ROOT, 'examples', example, 'compose.yaml');
  const r = spawnSync(process.execPath, [CLI_ENTRY, '--progress', 'plain', '-f', file, ...args], { env: engine.env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) if (check()) return;
  assert.fail('condition not met in time');
}

test('web-client: the client fetches the page from web by service name', async () => {
  try {
    const up = compose('web-client', ['up', '-d', '--wait']);
    assert.equal(up.code, 0, up.stderr);
    await eventually(() => compose('web-client', ['logs', 'client']).stdout.includes('hello from web'));
  } finally {
    compose('web-client', ['down', '-t', '1']);
  }
});

test('build-web: the image is built from its two-stage Dockerfile, then served to the client', async () => {
  try {
    const up = compose('build-web', ['up', '-d', '--wait']);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /Service web Built/);
    await eventually(() => compose('build-web', ['logs', 'client']).stdout.includes('hello from a built image, version 1.0'));
    const again = compose('build-web', ['up', '-d', '--wait', '--build']);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /Recreate/, 'an unchanged rebuild comes from the cache: nothing to recreate');
  } finally {
    compose('build-web', ['down', '--rmi', 'local', '-t', '1']);
  }
});

test('three-tier: web on 127.0.0.1:8080 answers through app from the healthy db', async () => {
  try {
    const up = compose('three-tier', ['up', '-d', '--wait']);
    assert.equal(up.code, 0, up.stderr);
    const body = await (await fetch('http://127.0.0.1:8080/cgi-bin/index')).text();
    assert.match(body, /app says: rows: 42/);
  } finally {
    compose('three-tier', ['down', '-v', '-t', '1']);
  }
});
