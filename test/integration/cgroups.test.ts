/**
 * Real cgroups on this host, real processes. Every cgroup lives under tscompose-test-<pid> and is removed;
 * every process is one this file spawned (payloads wait on stdin until they are inside their cgroup).
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { requiresRoot } from '../helpers/root-guard.js';
import { openCgroupDriver, parseCpus, type CgroupDriver, type ContainerCgroup } from '../../src/runtime/cgroups/index.js';

const ROOT = '/sys/fs/cgroup';
const PARENT = `tscompose-test-${process.pid}`;
const MiB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;
const hasCgroups = existsSync(ROOT);
const skip = requiresRoot('root and /sys/fs/cgroup') || (!hasCgroups ? 'no /sys/fs/cgroup here' : false);

const started: ChildProcess[] = [];
const opened: ContainerCgroup[] = [];
const scratch = isRoot ? mkdtempSync(join(tmpdir(), 'cgroups-int-')) : '';
let seq = 0;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `sh -c script`, held on `read` until release(): nothing runs before it is inside its cgroup. */
function spawnGated(script: string): { child: ChildProcess; exited: Promise<Exit>; release: () => void } {
  const child = spawn('sh', ['-c', `read go; ${script}`], { stdio: ['pipe', 'ignore', 'ignore'] });
  started.push(child);
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, release: () => child.stdin!.end('go\n') };
}

/** A new container cgroup with `limits` and a gated payload already inside it, released. */
function run(driver: CgroupDriver, limits: Parameters<ContainerCgroup['create']>[0], script: string) {
  const cgroup = driver.container(`c${++seq}`);
  opened.push(cgroup);
  cgroup.create(limits);
  const payload = spawnGated(script);
  cgroup.addProcess(payload.child.pid!);
  payload.release();
  return { cgroup, ...payload };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Where the pids controller keeps this test's container cgroups. */
function pidsDir(driver: CgroupDriver): string {
  return driver.version === 'v1' ? join(ROOT, 'pids', PARENT) : join(ROOT, PARENT);
}

function leftovers(): string {
  return spawnSync('find', [ROOT, '-name', 'tscompose-test-*'], { encoding: 'utf8' }).stdout.trim();
}

after(async () => {
  for (const cgroup of opened) await cgroup.destroy().catch(() => undefined);
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const root of [ROOT, join(ROOT, 'unified')]) {
    if (existsSync(root)) openCgroupDriver({ root, parent: PARENT }).removeParentIfEmpty();
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  if (isRoot) assert.equal(leftovers(), '', 'no test cgroup may be left behind');
});

describe('cgroups on this host (detected backend)', { skip }, () => {
  const driver = hasCgroups && isRoot ? openCgroupDriver({ parent: PARENT }) : (undefined as unknown as CgroupDriver);

  test('a memory hog over a 64 MiB limit is OOM-killed and oomKilled() says so', async () => {
    const hog = run(driver, { memoryBytes: 64 * MiB, memorySwapBytes: 64 * MiB }, `x=$(head -c 300m /dev/zero | tr '\\0' x); echo done`);
    const exit = await hog.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.equal(hog.cgroup.oomKilled(), true);
    const calm = run(driver, { memoryBytes: 64 * MiB }, 'x=$(head -c 1m /dev/zero | tr "\\0" x)');
    assert.deepEqual(await calm.exited, { code: 0, signal: null });
    assert.equal(calm.cgroup.oomKilled(), false);
    await hog.cgroup.destroy();
    await calm.cgroup.destroy();
  });

  test('a fork bomb under pidsMax=20 is contained, the host stays fine, and it can all be killed', async () => {
    const bomb = run(driver, { pidsMax: 20 }, 'b() { b | b & }; b; sleep 1000');
    let most = 0;
    for (let i = 0; i < 25; i++) {
      most = Math.max(most, bomb.cgroup.stats().pids.current);
      await sleep(40);
    }
    assert.ok(most <= 20, `at most 20 tasks (saw ${most})`);
    const events = readFileSync(join(pidsDir(driver), bomb.cgroup.id, 'pids.events'), 'utf8');
    assert.match(events, /^max [1-9]\d*$/m, 'forks were refused at the limit');
    assert.equal(bomb.cgroup.stats().pids.limit, 20);
    assert.equal(spawnSync('true').status, 0, 'the host can still fork');
    await bomb.cgroup.killAll();
    assert.deepEqual(bomb.cgroup.pids(), []);
    assert.equal((await bomb.exited).signal, 'SIGKILL');
    await bomb.cgroup.destroy();
  });

  test('a 0.2 CPU quota throttles a busy loop', async () => {
    const busy = run(driver, { cpuQuota: parseCpus('0.2') }, 'while :; do :; done');
    const wallMs = 1500;
    await sleep(wallMs);
    const { cpu } = busy.cgroup.stats();
    assert.ok(cpu.throttledPeriods > 0, `throttled (${cpu.throttledPeriods} periods)`);
    assert.ok(cpu.usageNanos > 0.05 * wallMs * 1e6, `it ran at all (${cpu.usageNanos} ns)`);
    assert.ok(cpu.usageNanos < 0.4 * wallMs * 1e6, `well below wall time (${cpu.usageNanos / 1e6} ms of ${wallMs} ms)`);
    if (process.env.TSCOMPOSE_VERBOSE) console.log(`cpu 0.2: ${cpu.usageNanos / 1e6} ms in ${wallMs} ms, ${cpu.throttledPeriods} throttled periods`);
    await busy.cgroup.destroy();
    assert.equal((await busy.exited).signal, 'SIGKILL');
  });

  test('a frozen process does not advance its counter; thawed it does', async () => {
    const counterFile = join(scratch, 'counter');
    const counting = run(driver, {}, `i=0; while :; do i=$((i+1)); echo $i > ${counterFile}; done`);
    const counter = () => (existsSync(counterFile) ? readFileSync(counterFile, 'utf8') : '');
    await eventually(() => counter() !== '', 'the counter to start');
    await counting.cgroup.freeze();
    await counting.cgroup.freeze(); // idempotent
    const frozenAt = counter();
    await sleep(300);
    assert.equal(counter(), frozenAt, 'frozen: no progress');
    assert.deepEqual(counting.cgroup.pids(), [counting.child.pid], 'still there while frozen');
    await counting.cgroup.thaw();
    await eventually(() => counter() !== frozenAt, 'the counter to move again');
    await counting.cgroup.destroy();
  });

  test('killAll reaches every process, including grandchildren; SIGTERM is only sent', async () => {
    const family = run(driver, {}, 'sleep 1000 & sleep 1000 & sh -c "sleep 1000 & wait" & wait');
    await eventually(() => family.cgroup.pids().length >= 5, 'five processes');
    await family.cgroup.killAll();
    assert.deepEqual(family.cgroup.pids(), []);
    assert.equal((await family.exited).signal, 'SIGKILL');

    const polite = run(driver, {}, 'sleep 1000 & sleep 1000 & wait');
    await eventually(() => polite.cgroup.pids().length >= 3, 'three processes');
    await polite.cgroup.killAll('SIGTERM');
    await eventually(() => polite.cgroup.pids().length === 0, 'SIGTERM to end them');
    await family.cgroup.destroy();
    await polite.cgroup.destroy();
  });

  test('stats give plausible numbers', async () => {
    // `ready` is written by the shell itself after the pipeline is gone; from then on only sh and sleep remain.
    const readyFile = join(scratch, 'stats-ready');
    const idle = run(driver, { memoryBytes: 64 * MiB, pidsMax: 50 }, `x=$(head -c 20m /dev/zero | tr "\\0" x); echo ready > ${readyFile}; sleep 1000`);
    await eventually(() => existsSync(readyFile) && idle.cgroup.pids().length === 2, 'the payload built and sleeping (sh + sleep)');
    await eventually(() => idle.cgroup.stats().memory.usageBytes > 20 * MiB, 'the payload to hold its 20 MiB');
    const stats = idle.cgroup.stats();
    assert.equal(stats.memory.limitBytes, 64 * MiB);
    assert.ok(stats.memory.usageBytes < 64 * MiB);
    assert.equal(stats.pids.current, 2);
    assert.equal(stats.pids.limit, 50);
    assert.ok(stats.cpu.usageNanos > 1e6, `some CPU time (${stats.cpu.usageNanos} ns)`);
    assert.equal(stats.cpu.throttledPeriods, 0);
    await idle.cgroup.destroy();
  });

  test('update grows and shrinks memory with swap in an order the kernel accepts', async () => {
    const cgroup = driver.container(`c${++seq}`);
    opened.push(cgroup);
    cgroup.create({ memoryBytes: 64 * MiB, memorySwapBytes: 64 * MiB });
    cgroup.update({ memoryBytes: 256 * MiB, memorySwapBytes: 512 * MiB });
    assert.equal(cgroup.stats().memory.limitBytes, 256 * MiB);
    cgroup.update({ memoryBytes: 32 * MiB, memorySwapBytes: 32 * MiB });
    assert.equal(cgroup.stats().memory.limitBytes, 32 * MiB);
    cgroup.update({ memoryBytes: -1 });
    assert.equal(cgroup.stats().memory.limitBytes, undefined);
    cgroup.update({ pidsMax: 0, cpuQuota: parseCpus(0), cpuShares: 512 });
    assert.equal(cgroup.stats().pids.limit, undefined);
    await cgroup.destroy();
  });

  test('cpuset pins the payload; a CPU the host lacks is a UserError', async () => {
    const pinned = run(driver, { cpusetCpus: '0' }, 'sleep 1000');
    const status = readFileSync(`/proc/${pinned.child.pid}/status`, 'utf8');
    assert.match(status, /Cpus_allowed_list:\s+0\n/);
    assert.throws(() => pinned.cgroup.update({ cpusetCpus: '0-1023' }), UserError);
    await pinned.cgroup.destroy();
  });

  test('destroy removes every directory; the driver lists and then forgets the container', async () => {
    const doomed = run(driver, { memoryBytes: 64 * MiB, pidsMax: 10, cpuShares: 256 }, 'sleep 1000');
    assert.ok(driver.listContainerIds().includes(doomed.cgroup.id));
    await doomed.cgroup.destroy();
    await doomed.cgroup.destroy(); // idempotent
    assert.equal((await doomed.exited).signal, 'SIGKILL');
    assert.ok(!driver.listContainerIds().includes(doomed.cgroup.id));
    const dirs = spawnSync('find', [ROOT, '-path', `*/${PARENT}/${doomed.cgroup.id}`], { encoding: 'utf8' }).stdout.trim();
    assert.equal(dirs, '');
  });

  test('removeParentIfEmpty leaves a parent with containers, removes an empty one', async () => {
    const cgroup = driver.container(`c${++seq}`);
    opened.push(cgroup);
    cgroup.create({});
    driver.removeParentIfEmpty();
    assert.deepEqual(driver.listContainerIds(), [cgroup.id]);
    await cgroup.destroy();
    for (const other of driver.listContainerIds()) await driver.container(other).destroy();
    driver.removeParentIfEmpty();
    assert.equal(spawnSync('find', [ROOT, '-maxdepth', '2', '-name', PARENT], { encoding: 'utf8' }).stdout.trim(), '');
  });
});

/** On a hybrid host the v2 mount has no controllers, but freeze, kill and the lifecycle are core v2 files. */
const UNIFIED = join(ROOT, 'unified');
const unifiedSkip = skip || (!existsSync(join(UNIFIED, 'cgroup.controllers')) ? 'no hybrid v2 mount' : false);

describe('v2 backend on the hybrid unified mount (no controllers)', { skip: unifiedSkip }, () => {
  const driver = unifiedSkip ? (undefined as unknown as CgroupDriver) : openCgroupDriver({ root: UNIFIED, parent: PARENT });

  test('is detected as v2; limits needing controllers are UserErrors', () => {
    assert.equal(driver.version, 'v2');
    const cgroup = driver.container(`c${++seq}`);
    opened.push(cgroup);
    assert.throws(() => cgroup.create({ memoryBytes: 64 * MiB }), /memory cgroup controller/);
    assert.throws(() => cgroup.create({ pidsMax: 5 }), /pids cgroup controller/);
  });

  test('freeze/thaw, stats, killAll through cgroup.kill, destroy', async () => {
    const counterFile = join(scratch, 'counter-v2');
    const counting = run(driver, { pidsMax: 0 }, `sleep 1000 & i=0; while :; do i=$((i+1)); echo $i > ${counterFile}; done`);
    const counter = () => (existsSync(counterFile) ? readFileSync(counterFile, 'utf8') : '');
    await eventually(() => counter() !== '', 'the counter to start');
    await counting.cgroup.freeze();
    const frozenAt = counter();
    await sleep(300);
    assert.equal(counter(), frozenAt, 'frozen: no progress');
    await counting.cgroup.thaw();
    await eventually(() => counter() !== frozenAt, 'the counter to move again');
    assert.ok(counting.cgroup.stats().cpu.usageNanos > 0);
    assert.equal(counting.cgroup.pids().length, 2);
    await counting.cgroup.killAll();
    assert.deepEqual(counting.cgroup.pids(), []);
    assert.equal((await counting.exited).signal, 'SIGKILL');
    await counting.cgroup.destroy();
    assert.ok(!driver.listContainerIds().includes(counting.cgroup.id));
  });

  test('killAll with SIGTERM goes through the freezer', async () => {
    const polite = run(driver, {}, 'sleep 1000 & sleep 1000 & wait');
    await eventually(() => polite.cgroup.pids().length >= 3, 'three processes');
    await polite.cgroup.killAll('SIGTERM');
    await eventually(() => polite.cgroup.pids().length === 0, 'SIGTERM to end them');
    await polite.cgroup.destroy();
  });
});
