/** Compose `ipc:` (Docker's IpcMode): own namespace by default, shared with a shareable service or the host, /dev/shm along. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (containers)');
let engine: TestEngine;
let dir: string;

before(async () => {
  if (skip) return;
  engine = await startTestEngine('ipc');
  dir = mkdtempSync(join(tmpdir(), 'tscompose-ipc-'));
  const service = (ipc?: string) => `    image: ${TEST_IMAGE}\n    command: ["sleep", "1000"]\n    init: true\n${ipc ? `    ipc: ${ipc}\n` : ''}`;
  writeFileSync(
    join(dir, 'compose.yaml'),
    `services:\n  donor:\n${service('shareable')}  guest:\n${service('service:donor')}  alone:\n${service()}  host:\n${service('host')}`,
  );
});

after(async () => {
  if (skip) return;
  compose('down', '-t', '0');
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(await engine.stop(), []);
});

const compose = (...args: string[]) => engine.cli(['--progress', 'plain', '-f', join(dir, 'compose.yaml'), ...args]);
const ipcOf = (service: string) => compose('exec', '-T', service, 'readlink', '/proc/self/ns/ipc').stdout.trim();

test('a shareable service lends its IPC namespace and /dev/shm; the default is private; host joins the host', { skip }, () => {
  const up = compose('up', '-d');
  assert.equal(up.code, 0, up.stderr);
  assert.match(ipcOf('donor'), /^ipc:\[\d+\]$/);
  assert.equal(ipcOf('guest'), ipcOf('donor'));
  assert.notEqual(ipcOf('alone'), ipcOf('donor'));
  assert.equal(ipcOf('host'), readlinkSync('/proc/self/ns/ipc'));
  assert.equal(compose('exec', '-T', 'donor', 'sh', '-c', 'echo shared > /dev/shm/probe').code, 0);
  assert.equal(compose('exec', '-T', 'guest', 'cat', '/dev/shm/probe').stdout.trim(), 'shared');
  assert.notEqual(compose('exec', '-T', 'alone', 'cat', '/dev/shm/probe').code, 0);
  const inspect = JSON.parse(engine.cli(['container', 'inspect', `${dir.split('/').pop()!.toLowerCase()}-guest-1`]).stdout)[0];
  assert.match(inspect.HostConfig.IpcMode, /^container:[0-9a-f]{64}$/);
});

test('joining a container that is not shareable is refused with Docker\'s hint', { skip }, () => {
  const project = dir.split('/').pop()!.toLowerCase();
  const r = engine.cli(['container', 'run', '-d', '--ipc', `container:${project}-alone-1`, TEST_IMAGE, 'sleep', '10']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /non-shareable IPC/);
  engine.cli(['container', 'rm', '-f', ...engine.cli(['container', 'ls', '-aq', '--filter', 'status=created']).stdout.split('\n').filter(Boolean)]);
});
