import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InternalError, UserError } from '../../src/errors.js';
import { checkLimits, detectCgroupVersion, openCgroupDriver, parseCpus, sharesToWeight } from '../../src/runtime/cgroups/index.js';

const V1_HIERARCHIES = ['memory', 'cpu', 'cpuacct', 'cpuset', 'pids', 'freezer'];
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cgroups-unit-'));
  temps.push(dir);
  return dir;
}

/** A fake v1 cgroupfs: one directory per hierarchy, the cpuset root with its CPUs and memory nodes. */
function fakeV1(hierarchies = V1_HIERARCHIES): string {
  const root = tempRoot();
  for (const name of hierarchies) mkdirSync(join(root, name));
  if (hierarchies.includes('cpuset')) {
    writeFileSync(join(root, 'cpuset/cpuset.cpus'), '0-3\n');
    writeFileSync(join(root, 'cpuset/cpuset.mems'), '0\n');
  }
  return root;
}

/** A fake cgroup2 mount offering `controllers`. */
function fakeV2(controllers = 'cpuset cpu io memory hugetlb pids'): string {
  const root = tempRoot();
  writeFileSync(join(root, 'cgroup.controllers'), `${controllers}\n`);
  writeFileSync(join(root, 'cgroup.subtree_control'), '');
  return root;
}

function read(root: string, rel: string): string {
  return readFileSync(join(root, rel), 'utf8').trim();
}

/** Pre-creates a file the kernel would show in a container's cgroup (for optional files such as memsw). */
function kernelFile(root: string, rel: string, content = ''): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), content);
}

const MiB = 1024 * 1024;

describe('detection', () => {
  test('a cgroup2 mount at the root is v2', () => {
    assert.equal(detectCgroupVersion(fakeV2()), 'v2');
    assert.equal(openCgroupDriver({ root: fakeV2() }).version, 'v2');
  });

  test('controller hierarchies below the root are v1, also on a hybrid host with an empty unified mount', () => {
    assert.equal(detectCgroupVersion(fakeV1()), 'v1');
    const hybrid = fakeV1();
    kernelFile(hybrid, 'unified/cgroup.controllers', '');
    assert.equal(openCgroupDriver({ root: hybrid }).version, 'v1');
  });

  test('nothing mounted is a UserError', () => {
    assert.throws(() => detectCgroupVersion(tempRoot()), UserError);
  });

  test('an explicit version skips detection', () => {
    assert.equal(openCgroupDriver({ root: fakeV1(), version: 'v2' }).version, 'v2');
  });

  test('parent and container id must be plain path segments', () => {
    assert.throws(() => openCgroupDriver({ root: fakeV1(), parent: '../etc' }), InternalError);
    assert.throws(() => openCgroupDriver({ root: fakeV1(), parent: '/abs' }), InternalError);
    const driver = openCgroupDriver({ root: fakeV1() });
    assert.throws(() => driver.container('a/../b'), InternalError);
    assert.throws(() => driver.container(''), InternalError);
    assert.doesNotThrow(() => openCgroupDriver({ root: fakeV1(), parent: 'system.slice/tscompose' }));
  });
});

describe('parseCpus', () => {
  test('Docker conversion: cpus × 100000 µs per 100000 µs period', () => {
    assert.deepEqual(parseCpus('1.5'), { quotaUs: 150000, periodUs: 100000 });
    assert.deepEqual(parseCpus('0.5'), { quotaUs: 50000, periodUs: 100000 });
    assert.deepEqual(parseCpus(2), { quotaUs: 200000, periodUs: 100000 });
    assert.deepEqual(parseCpus('0.01'), { quotaUs: 1000, periodUs: 100000 });
    assert.deepEqual(parseCpus('0.3'), { quotaUs: 30000, periodUs: 100000 });
    assert.deepEqual(parseCpus('.25'), { quotaUs: 25000, periodUs: 100000 });
  });

  test('0 means no limit', () => {
    assert.deepEqual(parseCpus('0'), { quotaUs: -1, periodUs: 100000 });
  });

  test('bad values are UserErrors', () => {
    for (const bad of ['abc', '-1', '', '1e3', '0.001', '1.0000000001', 'Infinity']) {
      assert.throws(() => parseCpus(bad), UserError, bad);
    }
  });
});

describe('sharesToWeight', () => {
  test('the defaults and the ends of the ranges map onto each other', () => {
    assert.equal(sharesToWeight(2), 1);
    assert.equal(sharesToWeight(1024), 100);
    assert.equal(sharesToWeight(262144), 10000);
  });

  test('values in between follow the log curve; out of range is clamped; 0 is unset', () => {
    assert.equal(sharesToWeight(512), 59);
    assert.equal(sharesToWeight(2048), 174);
    assert.equal(sharesToWeight(1), 1);
    assert.equal(sharesToWeight(1_000_000), 10000);
    assert.equal(sharesToWeight(0), 0);
  });
});

describe('checkLimits', () => {
  test('accepts the usual values', () => {
    assert.doesNotThrow(() =>
      checkLimits({ memoryBytes: 64 * MiB, memorySwapBytes: 128 * MiB, memoryReservationBytes: 32 * MiB, cpuQuota: parseCpus('1.5'), cpuShares: 512, cpusetCpus: '0-1,3', pidsMax: -1 }),
    );
  });

  test('rejects what Docker rejects', () => {
    const bad = [
      { memoryBytes: 4 * MiB },
      { memoryBytes: 64 * MiB, memorySwapBytes: 32 * MiB },
      { memoryBytes: 64 * MiB, memoryReservationBytes: 128 * MiB },
      { memoryBytes: 1.5 },
      { cpusetCpus: '0-' },
      { cpusetCpus: 'all' },
      { cpuQuota: { quotaUs: 500, periodUs: 100000 } },
      { cpuQuota: { quotaUs: 50000, periodUs: 2_000_000 } },
      { cpuShares: -5 },
    ];
    for (const limits of bad) assert.throws(() => checkLimits(limits), UserError, JSON.stringify(limits));
  });
});

describe('v1 backend on a fake cgroupfs', () => {
  test('create makes the directory in every hierarchy and writes each limit to its file', () => {
    const root = fakeV1();
    kernelFile(root, 'memory/tscompose/c1/memory.memsw.limit_in_bytes'); // swap accounting on
    const cgroup = openCgroupDriver({ root }).container('c1');
    cgroup.create({
      memoryBytes: 64 * MiB,
      memoryReservationBytes: 32 * MiB,
      memorySwapBytes: 128 * MiB,
      cpuQuota: parseCpus('1.5'),
      cpuShares: 512,
      cpusetCpus: '1-2',
      pidsMax: 20,
    });
    for (const name of V1_HIERARCHIES) assert.ok(existsSync(join(root, name, 'tscompose/c1')), name);
    assert.equal(read(root, 'memory/tscompose/c1/memory.limit_in_bytes'), String(64 * MiB));
    assert.equal(read(root, 'memory/tscompose/c1/memory.soft_limit_in_bytes'), String(32 * MiB));
    assert.equal(read(root, 'memory/tscompose/c1/memory.memsw.limit_in_bytes'), String(128 * MiB));
    assert.equal(read(root, 'cpu/tscompose/c1/cpu.cfs_period_us'), '100000');
    assert.equal(read(root, 'cpu/tscompose/c1/cpu.cfs_quota_us'), '150000');
    assert.equal(read(root, 'cpu/tscompose/c1/cpu.shares'), '512');
    assert.equal(read(root, 'cpuset/tscompose/c1/cpuset.cpus'), '1-2');
    assert.equal(read(root, 'pids/tscompose/c1/pids.max'), '20');
  });

  test('new cpuset levels inherit the parent CPUs and memory nodes', () => {
    const root = fakeV1();
    openCgroupDriver({ root, parent: 'a/b' }).container('c1').create({});
    for (const level of ['a', 'a/b', 'a/b/c1']) {
      assert.equal(read(root, `cpuset/${level}/cpuset.cpus`), '0-3', level);
      assert.equal(read(root, `cpuset/${level}/cpuset.mems`), '0', level);
    }
  });

  test('no limits: directories only, no limit file written', () => {
    const root = fakeV1();
    openCgroupDriver({ root }).container('c1').create({});
    for (const file of ['memory/tscompose/c1/memory.limit_in_bytes', 'cpu/tscompose/c1/cpu.cfs_quota_us', 'pids/tscompose/c1/pids.max']) {
      assert.equal(existsSync(join(root, file)), false, file);
    }
  });

  test('unlimited values: pids "max", quota -1, memory and memsw -1', () => {
    const root = fakeV1();
    kernelFile(root, 'memory/tscompose/c1/memory.memsw.limit_in_bytes', '100');
    const cgroup = openCgroupDriver({ root }).container('c1');
    cgroup.create({ pidsMax: 0, cpuQuota: parseCpus(0), memoryBytes: -1 });
    assert.equal(read(root, 'pids/tscompose/c1/pids.max'), 'max');
    assert.equal(read(root, 'cpu/tscompose/c1/cpu.cfs_quota_us'), '-1');
    assert.equal(read(root, 'memory/tscompose/c1/memory.limit_in_bytes'), '-1');
    assert.equal(read(root, 'memory/tscompose/c1/memory.memsw.limit_in_bytes'), '-1');
    cgroup.update({ pidsMax: -1 });
    assert.equal(read(root, 'pids/tscompose/c1/pids.max'), 'max');
  });

  test('without swap accounting the swap limit is skipped (as Docker does)', () => {
    const root = fakeV1();
    openCgroupDriver({ root }).container('c1').create({ memoryBytes: 64 * MiB, memorySwapBytes: 128 * MiB });
    assert.equal(existsSync(join(root, 'memory/tscompose/c1/memory.memsw.limit_in_bytes')), false);
  });

  test('update writes only the given limits and needs the cgroup to exist', () => {
    const root = fakeV1();
    const cgroup = openCgroupDriver({ root }).container('c1');
    assert.throws(() => cgroup.update({ pidsMax: 5 }), InternalError);
    cgroup.create({ pidsMax: 5, cpuShares: 100 });
    cgroup.update({ pidsMax: 50 });
    assert.equal(read(root, 'pids/tscompose/c1/pids.max'), '50');
    assert.equal(read(root, 'cpu/tscompose/c1/cpu.shares'), '100');
  });

  test('a limit whose hierarchy is missing is a UserError; other hierarchies are simply skipped', () => {
    const root = fakeV1(['cpu', 'cpuacct', 'freezer']);
    const cgroup = openCgroupDriver({ root }).container('c1');
    assert.throws(() => cgroup.create({ memoryBytes: 64 * MiB }), /memory cgroup controller/);
    assert.throws(() => cgroup.create({ pidsMax: 10 }), /pids cgroup controller/);
    cgroup.create({ cpuShares: 512, pidsMax: 0 });
    assert.equal(read(root, 'cpu/tscompose/c1/cpu.shares'), '512');
  });

  test('stats, oomKilled and pids read the kernel files (unlimited values read as undefined)', () => {
    const root = fakeV1();
    const cgroup = openCgroupDriver({ root }).container('c1');
    cgroup.create({});
    kernelFile(root, 'memory/tscompose/c1/memory.usage_in_bytes', '1048576\n');
    kernelFile(root, 'memory/tscompose/c1/memory.limit_in_bytes', '9223372036854771712\n');
    kernelFile(root, 'cpuacct/tscompose/c1/cpuacct.usage', '123456789\n');
    kernelFile(root, 'cpu/tscompose/c1/cpu.stat', 'nr_periods 10\nnr_throttled 7\nthrottled_time 99\n');
    kernelFile(root, 'pids/tscompose/c1/pids.current', '3\n');
    kernelFile(root, 'pids/tscompose/c1/pids.max', 'max\n');
    kernelFile(root, 'freezer/tscompose/c1/cgroup.procs', '10\n11\n');
    assert.deepEqual(cgroup.stats(), {
      memory: { usageBytes: 1048576, limitBytes: undefined },
      cpu: { usageNanos: 123456789, throttledPeriods: 7 },
      pids: { current: 3, limit: undefined },
    });
    assert.deepEqual(cgroup.pids(), [10, 11]);
    assert.equal(cgroup.oomKilled(), false);
    kernelFile(root, 'memory/tscompose/c1/memory.oom_control', 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n');
    assert.equal(cgroup.oomKilled(), false);
    kernelFile(root, 'memory/tscompose/c1/memory.oom_control', 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n');
    assert.equal(cgroup.oomKilled(), true);
  });

  test('co-mounted cpu,cpuacct (reached through two symlinks) is one directory', () => {
    const root = fakeV1(['memory', 'cpu,cpuacct', 'pids', 'freezer']);
    symlinkSync('cpu,cpuacct', join(root, 'cpu'));
    symlinkSync('cpu,cpuacct', join(root, 'cpuacct'));
    const driver = openCgroupDriver({ root });
    const cgroup = driver.container('c1');
    cgroup.create({ cpuShares: 256 });
    assert.equal(read(root, 'cpu,cpuacct/tscompose/c1/cpu.shares'), '256');
    kernelFile(root, 'cpu,cpuacct/tscompose/c1/cpuacct.usage', '42\n');
    assert.equal(cgroup.stats().cpu.usageNanos, 42);
    assert.deepEqual(driver.listContainerIds(), ['c1']);
  });

  test('listContainerIds is the union over hierarchies', () => {
    const root = fakeV1();
    const driver = openCgroupDriver({ root });
    driver.container('c2').create({});
    driver.container('c1').create({});
    mkdirSync(join(root, 'memory/tscompose/half-made'));
    assert.deepEqual(driver.listContainerIds(), ['c1', 'c2', 'half-made']);
    assert.deepEqual(openCgroupDriver({ root, parent: 'other' }).listContainerIds(), []);
  });
});

describe('v2 backend on a fake cgroupfs', () => {
  test('create enables our controllers down to the parent and writes each limit to its file', () => {
    const root = fakeV2();
    kernelFile(root, 'tscompose/c1/memory.swap.max'); // swap accounting on
    const cgroup = openCgroupDriver({ root }).container('c1');
    cgroup.create({
      memoryBytes: 64 * MiB,
      memoryReservationBytes: 32 * MiB,
      memorySwapBytes: 96 * MiB,
      cpuQuota: parseCpus('1.5'),
      cpuShares: 1024,
      cpusetCpus: '0-1',
      pidsMax: 20,
    });
    assert.equal(read(root, 'cgroup.subtree_control'), '+cpuset +cpu +memory +pids');
    assert.equal(read(root, 'tscompose/cgroup.subtree_control'), '+cpuset +cpu +memory +pids');
    assert.equal(existsSync(join(root, 'tscompose/c1/cgroup.subtree_control')), false, 'the leaf enables nothing');
    assert.equal(read(root, 'tscompose/c1/memory.max'), String(64 * MiB));
    assert.equal(read(root, 'tscompose/c1/memory.low'), String(32 * MiB));
    assert.equal(read(root, 'tscompose/c1/memory.swap.max'), String(32 * MiB), 'swap alone = memswap - memory');
    assert.equal(read(root, 'tscompose/c1/cpu.max'), '150000 100000');
    assert.equal(read(root, 'tscompose/c1/cpu.weight'), '100');
    assert.equal(read(root, 'tscompose/c1/cpuset.cpus'), '0-1');
    assert.equal(read(root, 'tscompose/c1/pids.max'), '20');
  });

  test('unlimited values are "max"', () => {
    const root = fakeV2();
    kernelFile(root, 'tscompose/c1/memory.swap.max');
    const cgroup = openCgroupDriver({ root }).container('c1');
    cgroup.create({ memoryBytes: -1, cpuQuota: parseCpus(0), pidsMax: -1 });
    assert.equal(read(root, 'tscompose/c1/memory.max'), 'max');
    assert.equal(read(root, 'tscompose/c1/memory.swap.max'), 'max');
    assert.equal(read(root, 'tscompose/c1/cpu.max'), 'max 100000');
    assert.equal(read(root, 'tscompose/c1/pids.max'), 'max');
  });

  test('a swap limit without a memory limit is a UserError', () => {
    const root = fakeV2();
    kernelFile(root, 'tscompose/c1/memory.swap.max');
    assert.throws(() => openCgroupDriver({ root }).container('c1').create({ memorySwapBytes: 96 * MiB }), UserError);
  });

  test('a limit whose controller the host does not offer is a UserError', () => {
    const root = fakeV2('pids');
    const cgroup = openCgroupDriver({ root }).container('c1');
    assert.throws(() => cgroup.create({ memoryBytes: 64 * MiB }), /memory cgroup controller/);
    cgroup.create({ pidsMax: 7 });
    assert.equal(read(root, 'cgroup.subtree_control'), '+pids');
    assert.equal(read(root, 'tscompose/c1/pids.max'), '7');
  });

  test('a nested parent gets the controllers at every level', () => {
    const root = fakeV2();
    openCgroupDriver({ root, parent: 'a/b' }).container('c1').create({ pidsMax: 3 });
    for (const level of ['', 'a', 'a/b']) assert.equal(read(root, join(level, 'cgroup.subtree_control')), '+cpuset +cpu +memory +pids', level);
    assert.equal(read(root, 'a/b/c1/pids.max'), '3');
  });

  test('stats and oomKilled read the kernel files', () => {
    const root = fakeV2();
    const driver = openCgroupDriver({ root });
    const cgroup = driver.container('c1');
    cgroup.create({});
    kernelFile(root, 'tscompose/c1/memory.current', '2097152\n');
    kernelFile(root, 'tscompose/c1/memory.max', '67108864\n');
    kernelFile(root, 'tscompose/c1/cpu.stat', 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\nnr_throttled 2\n');
    kernelFile(root, 'tscompose/c1/pids.current', '1\n');
    kernelFile(root, 'tscompose/c1/pids.max', '20\n');
    kernelFile(root, 'tscompose/c1/memory.events', 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n');
    assert.deepEqual(cgroup.stats(), {
      memory: { usageBytes: 2097152, limitBytes: 67108864 },
      cpu: { usageNanos: 1_500_000, throttledPeriods: 2 },
      pids: { current: 1, limit: 20 },
    });
    assert.equal(cgroup.oomKilled(), true);
    assert.deepEqual(driver.listContainerIds(), ['c1']);
  });
});
