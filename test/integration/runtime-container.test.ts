/** Real containers (root): what the payload sees inside, exit codes, failures before exec, terminals, exec. */
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startContainer, StartError, type RunningContainer } from '../../src/runtime/start-container.js';
import { execInContainer } from '../../src/runtime/exec-in-container.js';
import type { ContainerSpec } from '../../src/runtime/spec.js';
import { busyboxRootfs, collect, containerSpec, hostMounts, processSpec, type Rootfs } from './runtime-fixture.js';

let rootfs: Rootfs;
let mountsBefore: string;

before(() => {
  rootfs = busyboxRootfs();
  mountsBefore = hostMounts();
});
after(() => rootfs.cleanup());
afterEach(() => {
  assert.equal(hostMounts(), mountsBefore, 'no mounts left on the host');
  assert.deepEqual(ourChildren(), [], 'no processes left');
});

/** Our own live children (by parent PID), zombies included. */
function ourChildren(): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).flatMap((n) => {
    try {
      const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === process.pid ? [Number(n)] : [];
    } catch {
      return [];
    }
  });
}

async function run(spec: ContainerSpec, terminal?: { rows: number; cols: number }): Promise<{ out: string; err: string; code: number; c: RunningContainer }> {
  const c = await startContainer({ spec, stdio: { stdin: 'ignore', ...(terminal ? { terminal } : {}) }, beforeGo: () => {} });
  const [out, err, status] = await Promise.all([collect(c.stdout), collect(c.stderr), c.exited]);
  return { out, err, code: status.exitCode, c };
}

const sh = (script: string, overrides: Partial<ContainerSpec> = {}, proc = {}) => run(containerSpec(rootfs, ['sh', '-c', script], overrides, proc));

test('the payload is PID 1 and sees only its own processes', async () => {
  const { out, code } = await sh('echo $$; ps -o pid,comm');
  assert.equal(code, 0);
  const lines = out.trim().split('\n');
  assert.equal(lines[0], '1');
  const pids = lines.slice(2).map((l) => Number(l.trim().split(/\s+/)[0]));
  assert.deepEqual(pids.sort((a, b) => a - b)[0], 1);
  assert.ok(pids.length <= 3, `only sh and ps: ${out}`);
});

test('hostname is the spec\'s; host mounts and links are invisible', async () => {
  const { out } = await sh('hostname; cat /proc/self/mounts; ls /sys/class/net');
  const [hostname, ...rest] = out.trim().split('\n');
  assert.equal(hostname, 'tsc-test-host');
  const mounts = rest.filter((l) => l.includes(' '));
  const sources = new Set(mounts.map((l) => l.split(' ')[0]));
  assert.deepEqual([...sources].filter((s) => !['overlay', 'proc', 'tmpfs', 'devpts', 'shm', 'mqueue', 'sysfs', 'cgroup', 'cgroup2'].includes(s!)), [], out);
  assert.ok(mounts.every((l) => !l.includes('/mnt/') && !l.includes(' /tmp/')), out);
  assert.deepEqual(rest.filter((l) => !l.includes(' ')), ['lo']);
});

test('Docker\'s default capabilities and no_new_privs; mounting is refused', async () => {
  const { out } = await sh('grep -E "^(CapEff|NoNewPrivs)" /proc/self/status; mount -t tmpfs x /tmp && echo mounted || echo refused');
  assert.match(out, /CapEff:\s+00000000a80425fb/);
  assert.match(out, /NoNewPrivs:\s+1/);
  assert.match(out, /refused/);
});

test('user 1000 runs as 1000 with its groups', async () => {
  const { out } = await sh('id', {}, { user: { uid: 1000, gid: 1000, additionalGids: [100] } });
  assert.equal(out.trim(), 'uid=1000(user) gid=1000(user) groups=100(users)');
});

test('exit codes pass through', async () => {
  assert.equal((await sh('exit 3')).code, 3);
});

test('stdout and stderr arrive separately', async () => {
  const { out, err } = await sh('echo to-out; echo to-err >&2; echo again > /dev/stdout');
  assert.equal(out, 'to-out\nagain\n');
  assert.equal(err, 'to-err\n');
});

test('a missing executable fails with 127 and Docker\'s message', async () => {
  await assert.rejects(run(containerSpec(rootfs, ['nosuch'])), (e: unknown) => {
    assert.ok(e instanceof StartError);
    assert.equal(e.failure.exitCode, 127);
    assert.equal(e.message, 'exec: "nosuch": executable file not found in $PATH');
    return true;
  });
});

test('a non-executable file fails with 126', async () => {
  await assert.rejects(run(containerSpec(rootfs, ['/etc/passwd'])), (e: unknown) => e instanceof StartError && e.failure.exitCode === 126);
});

test('a payload killed by SIGKILL reports 137', async () => {
  const c = await startContainer({ spec: containerSpec(rootfs, ['sleep', '60']), stdio: { stdin: 'ignore' }, beforeGo: () => {} });
  c.kill('SIGKILL');
  const status = await c.exited;
  assert.equal(status.exitCode, 137);
  assert.equal(status.signal, 'SIGKILL');
});

test('stdin is piped to the payload', async () => {
  const c = await startContainer({ spec: containerSpec(rootfs, ['cat']), stdio: { stdin: 'pipe' }, beforeGo: () => {} });
  c.stdin!.end('through stdin\n');
  const [out, status] = await Promise.all([collect(c.stdout), c.exited, collect(c.stderr)]);
  assert.equal(out, 'through stdin\n');
  assert.equal(status.exitCode, 0);
});

test('a terminal run reports /dev/pts/0 and its size', async () => {
  const { out, code } = await run(containerSpec(rootfs, ['sh', '-c', 'tty; stty size'], {}, { terminal: true }), { rows: 30, cols: 100 });
  assert.equal(code, 0);
  assert.equal(out.replaceAll('\r', ''), '/dev/pts/0\n30 100\n');
});

test('bind and tmpfs mounts, etc files, sysctls, read-only root, cwd created', async () => {
  const spec = containerSpec(rootfs, ['sh', '-c', 'pwd; cat /data/passwd | head -1; grep " /scratch " /proc/mounts; cat /etc/hostname; cat /proc/sys/net/ipv4/ip_forward; touch /x 2>&1 || true; touch /scratch/ok && echo tmpfs-writable'], {
    mounts: [
      { type: 'bind', source: rootfs.lower + '/etc', target: '/data', readOnly: true },
      { type: 'tmpfs', target: '/scratch', sizeBytes: 1 << 20, mode: 0o1777 },
    ],
    etcFiles: { hostname: rootfs.lower + '/etc/hostname' },
    sysctls: { 'net.ipv4.ip_forward': '1' },
    rootfs: { ...containerSpec(rootfs, []).rootfs, readOnly: true },
  }, { cwd: '/work/dir' });
  const { out, code } = await run(spec);
  assert.equal(code, 0, out);
  const lines = out.trim().split('\n');
  assert.equal(lines[0], '/work/dir');
  assert.equal(lines[1], 'root:x:0:0:root:/root:/bin/sh');
  assert.match(lines[2]!, /tmpfs \/scratch tmpfs rw,nosuid,nodev,relatime,size=1024k/);
  assert.equal(lines[3], 'image');
  assert.equal(lines[4], '1');
  assert.match(lines[5]!, /Read-only file system/);
  assert.equal(lines[6], 'tmpfs-writable');
});

test('init: true runs a reaper as PID 1 that forwards signals and passes the status', async () => {
  const c = await startContainer({ spec: containerSpec(rootfs, ['sh', '-c', 'echo $$ $PPID; exec sleep 60'], { init: true }), stdio: { stdin: 'ignore' }, beforeGo: () => {} });
  const out = collect(c.stdout);
  await new Promise((r) => setTimeout(r, 200));
  c.kill('SIGTERM');
  const status = await c.exited;
  const [pid, ppid] = (await out).trim().split(' ');
  assert.notEqual(pid, '1');
  assert.equal(ppid, '1');
  assert.equal(status.exitCode, 143);
});

test('exec into a running container sees its filesystem and PID namespace', async () => {
  const c = await startContainer({ spec: containerSpec(rootfs, ['sh', '-c', 'echo hello > /tmp/marker; exec sleep 60']), stdio: { stdin: 'ignore' }, beforeGo: () => {} });
  try {
    await new Promise((r) => setTimeout(r, 200));
    const e = await execInContainer({ containerPid: c.pid, process: processSpec(['sh', '-c', 'cat /tmp/marker; echo $$; ps -o pid,comm | grep -c sleep; hostname']), stdio: { stdin: 'ignore' } });
    const [out, status] = await Promise.all([collect(e.stdout), e.exited, collect(e.stderr)]);
    assert.equal(status.exitCode, 0);
    const [marker, pid, sleeps, hostname] = out.trim().split('\n');
    assert.equal(marker, 'hello');
    assert.ok(Number(pid) > 1);
    assert.equal(sleeps, '1');
    assert.equal(hostname, 'tsc-test-host');
  } finally {
    c.kill('SIGKILL');
    await c.exited;
  }
});

test('exec with a missing executable fails with 127', async () => {
  const c = await startContainer({ spec: containerSpec(rootfs, ['sleep', '60']), stdio: { stdin: 'ignore' }, beforeGo: () => {} });
  try {
    await assert.rejects(execInContainer({ containerPid: c.pid, process: processSpec(['nosuch']), stdio: { stdin: 'ignore' } }), (e: unknown) => e instanceof StartError && e.failure.exitCode === 127);
  } finally {
    c.kill('SIGKILL');
    await c.exited;
  }
});

test('beforeGo receives the host PID before the container starts', async () => {
  let seen = 0;
  const c = await startContainer({ spec: containerSpec(rootfs, ['true']), stdio: { stdin: 'ignore' }, beforeGo: (pid) => void (seen = pid) });
  await Promise.all([c.exited, collect(c.stdout), collect(c.stderr)]);
  assert.equal(seen, c.pid);
});

test('median start-to-exit time of /bin/true', async () => {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const c = await startContainer({ spec: containerSpec(rootfs, ['/bin/true']), stdio: { stdin: 'ignore' }, beforeGo: () => {} });
    await Promise.all([c.exited, collect(c.stdout), collect(c.stderr)]);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`# /bin/true start-to-exit: median ${times[10]!.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms, max ${times[19]!.toFixed(1)} ms`);
});

test('exec with a terminal gets its own pty from the container\'s devpts', async () => {
  const c = await startContainer({ spec: containerSpec(rootfs, ['sleep', '60']), stdio: { stdin: 'ignore' }, beforeGo: () => {} });
  try {
    const e = await execInContainer({ containerPid: c.pid, process: processSpec(['sh', '-c', 'tty; stty size'], { terminal: true }), stdio: { stdin: 'ignore', terminal: { rows: 10, cols: 20 } } });
    const [out, status] = await Promise.all([collect(e.stdout), e.exited]);
    assert.equal(status.exitCode, 0);
    assert.equal(out.replaceAll('\r', ''), '/dev/pts/0\n10 20\n');
  } finally {
    c.kill('SIGKILL');
    await c.exited;
  }
});

test('a terminal takes input and can be resized', async () => {
  const c = await startContainer({ spec: containerSpec(rootfs, ['sh', '-c', 'read line; echo got:$line; stty size'], {}, { terminal: true }), stdio: { stdin: 'ignore', terminal: { rows: 24, cols: 80 } }, beforeGo: () => {} });
  const out = collect(c.stdout);
  c.resize!(40, 120);
  c.stdin!.write('hello\n');
  const status = await c.exited;
  assert.equal(status.exitCode, 0);
  assert.match((await out).replaceAll('\r', ''), /got:hello\n40 120\n/);
});

test('host network shares the host\'s interfaces; a given netns is joined', async () => {
  const host = await sh('ls /sys/class/net', { hostNetwork: true });
  assert.ok(host.out.trim().split('\n').length > 1, host.out);
  const name = `tscrt${process.pid}`;
  execFileSync('ip', ['netns', 'add', name]);
  try {
    execFileSync('ip', ['-n', name, 'link', 'add', 'tscrta0', 'type', 'veth', 'peer', 'name', 'tscrtb0']);
    const joined = await sh('ls /sys/class/net', { netnsPath: `/run/netns/${name}` });
    assert.deepEqual(joined.out.trim().split('\n').sort(), ['lo', 'tscrta0', 'tscrtb0']);
  } finally {
    execFileSync('ip', ['netns', 'del', name]);
  }
});

test('user switch by name happens in the engine; the runtime applies uid, gid and groups', async () => {
  const { out } = await sh('id -u; id -g; cat /proc/self/status | grep -E "^(CapEff|Groups)"', {}, { user: { uid: 1000, gid: 100, additionalGids: [5] } });
  assert.match(out, /^1000\n100\nGroups:\s+5\s*\nCapEff:\s+0000000000000000\n$/);
});

test('beforeGo places PID 1 in a cgroup before the cgroup namespace: the container sees its cgroup as /', async (t) => {
  const dir = `/sys/fs/cgroup/pids/tsc-runtime-test-${process.pid}`;
  if (!existsSync('/sys/fs/cgroup/pids')) return t.skip('needs the v1 pids controller');
  mkdirSync(dir);
  try {
    writeFileSync(`${dir}/pids.max`, '50');
    const c = await startContainer({
      spec: containerSpec(rootfs, ['sh', '-c', 'grep pids /proc/self/cgroup; cat /sys/fs/cgroup/pids/pids.max']),
      stdio: { stdin: 'ignore' },
      beforeGo: (pid) => writeFileSync(`${dir}/cgroup.procs`, String(pid)),
    });
    const [out, status] = await Promise.all([collect(c.stdout), c.exited, collect(c.stderr)]);
    assert.equal(status.exitCode, 0);
    assert.match(out, /^\d+:pids:\/\n50\n$/);
  } finally {
    rmdirSync(dir);
  }
});
