/** The init stage's order of operations, recorded by a fake Syscalls (no root needed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupContainer } from '../../src/runtime/init/setup-container.js';
import { enterContainer } from '../../src/runtime/init/enter-container.js';
import { execPayload } from '../../src/runtime/init/exec-payload.js';
import { resolveInRoot } from '../../src/runtime/init/path-in-root.js';
import { ExecCalled, RecordingSyscalls } from '../../src/runtime/testing/recording-syscalls.js';
import { DEFAULT_CAPABILITIES } from '../../src/runtime/capabilities.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../../src/runtime/defaults.js';
import type { ContainerSpec, ProcessSpec } from '../../src/runtime/spec.js';

const proc: ProcessSpec = {
  args: ['sh', '-c', 'true'], env: ['PATH=/usr/bin:/bin'], cwd: '/app', user: { uid: 1000, gid: 1000, additionalGids: [100] },
  terminal: false, noNewPrivileges: true, capabilities: [...DEFAULT_CAPABILITIES], rlimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
};

const spec: ContainerSpec = {
  id: 'c1', hostname: 'web', domainname: 'example',
  rootfs: { lowerDirs: ['/l1', '/l2'], upperDir: '/u', workDir: '/w', mountPoint: '/r', readOnly: true },
  process: proc,
  mounts: [{ type: 'bind', source: '/host/data', target: '/data', readOnly: true }, { type: 'tmpfs', target: '/run', sizeBytes: 1024 }],
  etcFiles: { hosts: '/host/hosts' },
  maskedPaths: [...DEFAULT_MASKED_PATHS], readonlyPaths: [...DEFAULT_READONLY_PATHS],
  sysctls: { 'net.ipv4.ip_forward': '1' }, netnsPath: '/run/netns/tsc1', privileged: false, init: false,
};

function fakeWithImage(): RecordingSyscalls {
  return new RecordingSyscalls({ '/r/bin/sh': 'file', '/r/etc/hosts': 'file', '/r/proc/kcore': 'file', '/r/proc/sys': 'dir', '/r/sys/firmware': 'dir', '/host/data': 'dir', '/host/hosts': 'file' });
}

function runInit(sys: RecordingSyscalls): void {
  const exe = setupContainer(sys, spec, { lastCap: 40, attachTerminal: () => assert.fail('no terminal asked') });
  assert.throws(() => execPayload(sys, exe, spec.process), ExecCalled);
}

/** Each prefix matches a recorded call after the previous one's match. */
function assertOrder(sys: RecordingSyscalls, prefixes: string[]): void {
  let from = 0;
  for (const prefix of prefixes) {
    const at = sys.calls.findIndex((c, i) => i >= from && c.startsWith(prefix));
    assert.ok(at >= 0, `no call "${prefix}" after "${sys.calls[from - 1] ?? 'the start'}" in\n${sys.calls.join('\n')}`);
    from = at + 1;
  }
}

test('namespaces, then a private /, the overlay, /proc, /dev, /sys, mounts, sysctls, masks, pivot_root', () => {
  const sys = fakeWithImage();
  runInit(sys);
  assert.equal(sys.calls[0], 'unshare 0xe020000'); // NEWNS|NEWUTS|NEWIPC|NEWCGROUP, not NEWNET: a netns is joined
  assertOrder(sys, [
    'unshare', 'open /run/netns/tsc1', 'setns 10 0x40000000', 'sethostname web', 'setdomainname example',
    'mount - / - 0x44000 -',
    'mount overlay /r overlay 0x0 lowerdir=/l2:/l1,upperdir=/u,workdir=/w',
    'mount proc /r/proc proc', 'mount tmpfs /r/dev tmpfs', 'mknod /r/dev/null', 'mount devpts /r/dev/pts devpts',
    'mount sysfs /r/sys sysfs 0xf -', 'mount /host/hosts /r/etc/hosts', 'mount /host/data /r/data - 0x5000',
    'mount - /r/data - 0x1021', 'mount tmpfs /r/run tmpfs 0x6 size=1024', 'write /r/proc/sys/net/ipv4/ip_forward 1',
    'mount /r/dev/null /r/proc/kcore', 'mount tmpfs /r/sys/firmware tmpfs 0x1', 'mount /r/proc/sys /r/proc/sys - 0x5000',
    'mount - /r/proc/sys - 0x102f', 'mkdir /r/app', 'chdir /r', 'pivot_root . .', 'umount2 . 2', 'chdir /', 'mount - / - 0x1021',
  ]);
});

test('rlimits as root, then bounding set, no_new_privs, user switch, capabilities; exec last', () => {
  const sys = fakeWithImage();
  runInit(sys);
  assertOrder(sys, [
    'pivot_root', 'setrlimit 7 1024 2048', 'prctl 24 2', 'prctl 38 1', 'prctl 8 1', 'setgroups 100', 'setresgid 1000',
    'setresuid 1000', 'prctl 8 0', 'capset a80425fb a80425fb 0', 'chdir /app', 'reset-signals', 'clear-fd-flags 0',
    'clear-fd-flags 2', 'close-range-cloexec 3', 'execve /bin/sh sh -c true',
  ]);
  assert.equal(sys.calls.at(-1), 'execve /bin/sh sh -c true');
  assert.equal(sys.calls.filter((c) => c.startsWith('prctl 24 ')).length, 41 - 14, 'every cap outside the default set leaves the bounding set');
});

test("the stage's own network namespace (spawned fresh) gets lo up; sysfs is mounted after it", () => {
  const sys = fakeWithImage();
  const { netnsPath: _, ...rest } = spec;
  setupContainer(sys, rest, { lastCap: 40, attachTerminal: () => {} });
  assert.equal(sys.calls[0], 'unshare 0xe020000', 'no CLONE_NEWNET: the stage was spawned in a new one');
  assertOrder(sys, ['unshare', 'ifup lo', 'mount sysfs']);
  assert.equal(sys.indexOf('setns'), -1);
});

test('another network namespace (host, container:) is joined, lo left as it is', () => {
  const sys = fakeWithImage();
  setupContainer(sys, { ...spec, netnsPath: '/proc/42/ns/net' }, { lastCap: 40, attachTerminal: () => {} });
  assert.equal(sys.calls[0], 'unshare 0xe020000');
  assertOrder(sys, ['unshare', 'setns', 'mount sysfs']);
  assert.equal(sys.indexOf('ifup'), -1);
});

test('an image without layers gets an empty tmpfs as its lower dir', () => {
  const sys = fakeWithImage();
  setupContainer(sys, { ...spec, rootfs: { ...spec.rootfs, lowerDirs: [] } }, { lastCap: 40, attachTerminal: () => {} });
  assertOrder(sys, ['mount tmpfs /r tmpfs 0x1', 'mount overlay /r overlay 0x0 lowerdir=/r,']);
});

test('a terminal is attached after pivot_root and before privileges drop', () => {
  const sys = fakeWithImage();
  const seen: number[] = [];
  setupContainer(sys, spec, { lastCap: 40, terminal: { rows: 24, cols: 80 }, attachTerminal: () => void seen.push(sys.calls.length) });
  assert.equal(seen.length, 1);
  assert.ok(seen[0]! > sys.indexOf('pivot_root') && seen[0]! <= sys.indexOf('setresuid'));
});

test('exec helper: own fs_struct first, then cgroup ipc uts net mnt namespaces', () => {
  const sys = fakeWithImage();
  sys.add('/app', 'dir');
  sys.add('/bin/sh', 'file');
  enterContainer(sys, 42, proc, { lastCap: 40, attachTerminal: () => {} });
  assertOrder(sys, [
    'unshare 0x200', 'open /proc/42/ns/cgroup', 'open /proc/42/ns/mnt', 'setns 10 0x2000000', 'setns 11 0x8000000',
    'setns 12 0x4000000', 'setns 13 0x40000000', 'setns 14 0x20000', 'setresuid 1000', 'chdir /app',
  ]);
});

test('mount targets resolve inside the root, even through absolute symlinks', () => {
  const sys = new RecordingSyscalls({ '/r/etc': 'dir' });
  sys.symlink('/', '/r/escape');
  sys.symlink('../../../host', '/r/etc/up');
  assert.equal(resolveInRoot(sys, '/r', '/escape/etc/passwd'), '/r/etc/passwd');
  assert.equal(resolveInRoot(sys, '/r', '/etc/up/x'), '/r/host/x');
});

test('/sys/fs/cgroup: one read-only mount per v1 hierarchy after sysfs, or cgroup2', () => {
  const v1 = fakeWithImage();
  setupContainer(v1, spec, { lastCap: 40, cgroups: { version: 1, hierarchies: ['cpu,cpuacct', 'name=systemd'] }, attachTerminal: () => {} });
  assertOrder(v1, ['mount sysfs', 'mount tmpfs /r/sys/fs/cgroup tmpfs', 'mount cgroup /r/sys/fs/cgroup/cpu,cpuacct cgroup 0xf cpu,cpuacct',
    'mount cgroup /r/sys/fs/cgroup/systemd cgroup 0xf none,name=systemd', 'mount - /r/sys/fs/cgroup - 0x2f mode=755', 'pivot_root']);
  const v2 = fakeWithImage();
  setupContainer(v2, spec, { lastCap: 40, cgroups: { version: 2 }, attachTerminal: () => {} });
  assertOrder(v2, ['mount sysfs', 'mount cgroup2 /r/sys/fs/cgroup cgroup2 0xf -']);
});
