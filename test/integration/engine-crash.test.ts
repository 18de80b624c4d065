/** The engine killed with SIGKILL (root): its containers die with it, the next start reconciles and cleans up. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntilUp } from '../../src/engine/client/autostart.js';
import { launchEngine, startTestEngine, TEST_IMAGE } from '../helpers/engine.js';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('SIGKILL to the engine: no container survives; the next start reports them exited and leaves nothing behind', async () => {
  const engine = await startTestEngine('crash');
  try {
    const id = engine.cli(['container', 'run', '-d', TEST_IMAGE, 'sleep', '1000']).stdout.trim();
    const pid = (await engine.api.inspectContainer(id)).State.Pid;
    assert.ok(processAlive(pid));
    engine.process.kill('SIGKILL');
    await new Promise((resolve) => engine.process.once('exit', resolve));
    for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(processAlive(pid), false, 'the container process outlived the engine');

    engine.process = launchEngine(engine.config, engine.env);
    await waitUntilUp(engine.api.http, engine.config);
    const state = (await engine.api.inspectContainer(id)).State;
    assert.equal(state.Status, 'exited');
    assert.match(state.Error, /engine stopped/);
    for (const controller of readdirSync('/sys/fs/cgroup')) {
      assert.equal(existsSync(join('/sys/fs/cgroup', controller, engine.config.cgroupParent, id)), false, `cgroup left in ${controller}`);
    }
    engine.cli(['container', 'rm', id]);
  } finally {
    assert.deepEqual(await engine.stop(), []);
  }
});

test('engine shutdown (SIGTERM) stops running containers gracefully', async () => {
  const engine = await startTestEngine('shutdown');
  const id = engine.cli(['container', 'run', '-d', '--init', TEST_IMAGE, 'sleep', '1000']).stdout.trim();
  const pid = (await engine.api.inspectContainer(id)).State.Pid;
  const leftovers = await engine.stop();
  assert.equal(processAlive(pid), false);
  assert.deepEqual(leftovers, []);
});

test('a command that finds no engine listening starts one in the background and gets its answer; engine stop ends it', async () => {
  const engine = await startTestEngine('autostart');
  try {
    engine.process.kill('SIGTERM');
    await new Promise((resolve) => engine.process.once('exit', resolve));
    assert.match(engine.cli(['engine', 'status']).stdout, /^not running/);

    const listed = engine.cli(['image', 'ls']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /tscompose\/busybox/, 'the started engine keeps the same root');
    assert.match(engine.cli(['engine', 'status']).stdout, /^running: /);
  } finally {
    const stopped = engine.cli(['engine', 'stop']);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.deepEqual(await engine.stop(), []);
  }
});
