/** `-p NAME` without a compose file: ps, logs and down act on the project's containers by label (CI teardown). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { CLI_ENTRY } from '../helpers/paths.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (containers)');
let engine: TestEngine;
let dir: string;

before(async () => {
  if (skip) return;
  engine = await startTestEngine('no-file');
  dir = mkdtempSync(join(tmpdir(), 'tscompose-no-file-'));
  mkdirSync(join(dir, 'project'));
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(
    join(dir, 'project', 'compose.yaml'),
    `services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "echo web says hi; sleep 1000"]\n    init: true\n    volumes: [data:/data]\n  db:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "1000"]\n    init: true\nvolumes:\n  data: {}\n`,
  );
});

after(async () => {
  if (skip) return;
  cli('project', ['-p', 'ci-42', 'down', '-v', '-t', '0']);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(await engine.stop(), []);
});

function cli(where: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI_ENTRY, '--progress', 'plain', ...args], { cwd: join(dir, where), env: engine.env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('ps, logs and down -v work from -p alone; up still needs a file', { skip }, async () => {
  assert.equal(cli('project', ['-p', 'ci-42', 'up', '-d']).code, 0);
  const ps = cli('elsewhere', ['-p', 'ci-42', 'ps', '--format', '{{.Service}}']);
  assert.equal(ps.code, 0, ps.stderr);
  assert.deepEqual(ps.stdout.trim().split('\n').sort(), ['db', 'web']);
  const logs = cli('elsewhere', ['-p', 'ci-42', 'logs', 'web']);
  assert.match(logs.stdout, /web says hi/);
  const up = cli('elsewhere', ['-p', 'ci-42', 'up', '-d']);
  assert.notEqual(up.code, 0);
  assert.match(up.stderr, /no configuration file provided/);
  const down = cli('elsewhere', ['-p', 'ci-42', 'down', '-v', '-t', '0']);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stderr, /Network ci-42_default Removed/);
  assert.match(down.stderr, /Volume ci-42_data Removed/);
  assert.deepEqual(await engine.api.listContainers({ all: true }), []);
  const noName = cli('elsewhere', ['ps']);
  assert.notEqual(noName.code, 0, 'without -p there is nothing to go on');
});
