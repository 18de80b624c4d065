/** The engine end to end (root): real containers through the CLI and the Docker-shaped API. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { CLI_ENTRY } from '../helpers/paths.js';

let engine: TestEngine;

before(async () => {
  engine = await startTestEngine('containers');
});

after(async () => {
  const leftovers = await engine.stop();
  assert.deepEqual(leftovers, [], 'the engine left objects on the host');
});

/** `container run --rm IMAGE sh -c SCRIPT` through the CLI. */
function run(script: string, ...flags: string[]): { code: number; stdout: string; stderr: string } {
  return engine.cli(['container', 'run', '--rm', ...flags, TEST_IMAGE, 'sh', '-c', script]);
}

describe('inside a container', () => {
  test('it is PID 1 and sees only its own processes', () => {
    const r = run('echo $$; ps -o pid,args');
    assert.equal(r.code, 0, r.stderr);
    const [pid, header, ...processes] = r.stdout.trim().split('\n');
    assert.equal(pid, '1');
    assert.match(header!, /PID/);
    // sh execs its last command: ps alone, or sh and ps; never anything of the host
    assert.ok(processes.length >= 1 && processes.every((p) => /\b(sh|ps)\b/.test(p)), `ps shows more than sh and ps:\n${r.stdout}`);
  });

  test('its hostname is its own; host mounts and links are invisible', () => {
    const r = run('hostname; cat /proc/mounts | grep -c " /work " ; ls /sys/class/net', '--hostname', 'boxy', '--network', 'none');
    const [hostname, hostMounts, ...links] = r.stdout.trim().split('\n');
    assert.equal(hostname, 'boxy');
    assert.equal(hostMounts, '0');
    assert.deepEqual(links, ['lo']);
  });

  test("Docker's default capabilities, no_new_privs, and mount refused", () => {
    const r = run('grep -E "CapEff|NoNewPrivs" /proc/self/status; mount -t tmpfs x /tmp && echo MOUNTED || echo REFUSED');
    assert.match(r.stdout, /CapEff:\s+00000000a80425fb/);
    assert.match(r.stdout, /NoNewPrivs:\s+1/);
    assert.match(r.stdout, /REFUSED/);
  });

  test('user 1000 runs as 1000; a name resolves from the image', () => {
    assert.equal(run('id -u', '-u', '1000').stdout.trim(), '1000');
    assert.equal(run('id -un', '-u', 'app').stdout.trim(), 'app');
  });

  test('environment, working dir, read-only root and tmpfs', () => {
    const r = run('echo $GREETING; pwd; touch /x 2>/dev/null && echo WROTE || echo RO; touch /scratch/y && echo TMPFS', '-e', 'GREETING=hi', '-w', '/tmp', '--read-only', '--tmpfs', '/scratch');
    assert.deepEqual(r.stdout.trim().split('\n'), ['hi', '/tmp', 'RO', 'TMPFS']);
  });
});

describe('exit codes and failures', () => {
  test('the container exit code passes through', () => {
    assert.equal(run('exit 3').code, 3);
  });

  test('a missing executable is 127 with the reason, a non-executable 126', () => {
    const missing = engine.cli(['container', 'run', '--rm', TEST_IMAGE, 'nosuch']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /executable file not found in \$PATH/);
    const notExec = engine.cli(['container', 'run', '--rm', TEST_IMAGE, '/etc/passwd']);
    assert.equal(notExec.code, 126);
  });

  test('an unknown image is an engine error (125)', () => {
    const r = engine.cli(['container', 'run', '--rm', 'no/such:image', 'true']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /No such image/);
  });

  test('a memory hog under a memory limit is OOM-killed: 137, OOMKilled true', async () => {
    const created = engine.cli(['container', 'create', '--memory', '32m', TEST_IMAGE, 'sh', '-c', 'x=$(head -c 200000000 /dev/zero | tr "\\0" x)']);
    const id = created.stdout.trim();
    engine.cli(['container', 'start', id]);
    assert.equal(engine.cli(['container', 'wait', id]).stdout.trim(), '137');
    const state = (await engine.api.inspectContainer(id)).State;
    assert.equal(state.OOMKilled, true);
    engine.cli(['container', 'rm', id]);
  });

  test('a CPU quota throttles a busy loop', async () => {
    const id = engine.cli(['container', 'run', '-d', '--cpus', '0.2', TEST_IMAGE, 'sh', '-c', 'while :; do :; done']).stdout.trim();
    const res = await engine.api.stats(id, false);
    let text = '';
    for await (const chunk of res) text += String(chunk);
    const s = JSON.parse(text.trim());
    const cpuSeconds = (s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage) / 1e9;
    const wallSeconds = (Date.parse(s.read) - Date.parse(s.preread)) / 1000;
    assert.ok(cpuSeconds / wallSeconds < 0.35, `used ${(cpuSeconds / wallSeconds).toFixed(2)} CPUs under a 0.2 quota`);
    engine.cli(['container', 'rm', '-f', id]);
  });

  test('a fork bomb under pids_limit is contained', () => {
    const r = run('for i in $(seq 1 100); do sleep 5 & done 2>/dev/null; sleep 0.5; ps | tail -n +2 | wc -l', '--pids-limit', '20');
    assert.ok(Number(r.stdout.trim().split('\n').pop()) <= 20, r.stdout);
  });
});

describe('lifecycle', () => {
  test('stop on a PID 1 ignoring SIGTERM returns after the grace period, container dead', () => {
    const id = engine.cli(['container', 'run', '-d', TEST_IMAGE, 'sleep', '1000']).stdout.trim();
    const started = Date.now();
    assert.equal(engine.cli(['container', 'stop', '-t', '1', id]).code, 0);
    const took = Date.now() - started;
    assert.ok(took >= 900, `stopped after ${took} ms, before the grace period`);
    const inspect = JSON.parse(engine.cli(['container', 'inspect', id]).stdout)[0];
    assert.equal(inspect.State.Status, 'exited');
    assert.equal(inspect.State.ExitCode, 137);
    engine.cli(['container', 'rm', id]);
  });

  test('with init, stop is immediate (the reaper forwards SIGTERM)', () => {
    const id = engine.cli(['container', 'run', '-d', '--init', TEST_IMAGE, 'sleep', '1000']).stdout.trim();
    const started = Date.now();
    engine.cli(['container', 'stop', '-t', '10', id]);
    assert.ok(Date.now() - started < 5000, 'init did not forward SIGTERM');
    engine.cli(['container', 'rm', id]);
  });

  test('logs keep stdout and stderr in json-file format; tail and timestamps', async () => {
    const id = engine.cli(['container', 'run', '-d', TEST_IMAGE, 'sh', '-c', 'echo one; echo two >&2; sleep 0.2; echo three']).stdout.trim();
    engine.cli(['container', 'wait', id]);
    const logs = engine.cli(['container', 'logs', id]);
    assert.equal(logs.stdout, 'one\nthree\n');
    assert.equal(logs.stderr, 'two\n');
    assert.equal(engine.cli(['container', 'logs', '-n', '1', id]).stdout, 'three\n');
    assert.match(engine.cli(['container', 'logs', '-t', '-n', '1', id]).stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z three\n$/);
    const inspect = await engine.api.inspectContainer(id);
    const first = JSON.parse(readFileSync(String(inspect.LogPath), 'utf8').split('\n')[0]!);
    assert.equal(first.log, 'one\n');
    assert.equal(first.stream, 'stdout');
    engine.cli(['container', 'rm', id]);
  });

  test('exec runs in the container with env, user, workdir and exit code', () => {
    const id = engine.cli(['container', 'run', '-d', '--name', 'exec-target', TEST_IMAGE, 'sleep', '1000']).stdout.trim();
    const r = engine.cli(['container', 'exec', '-e', 'X=1', '-u', '1000', '-w', '/tmp', 'exec-target', 'sh', '-c', 'echo $X $(id -u) $(pwd); ps -o pid,args | grep "^ *1 "; exit 4']);
    assert.equal(r.code, 4);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.trim()), ['1 1000 /tmp', '1 sleep 1000']);
    assert.equal(engine.cli(['container', 'exec', 'exec-target', 'nosuch']).code, 127);
    engine.cli(['container', 'rm', '-f', id]);
  });

  test('pause freezes, unpause resumes; top lists the processes', async () => {
    const id = engine.cli(['container', 'run', '-d', TEST_IMAGE, 'sleep', '1000']).stdout.trim();
    assert.equal(engine.cli(['container', 'pause', id]).code, 0);
    assert.equal((await engine.api.inspectContainer(id)).State.Status, 'paused');
    assert.equal(engine.cli(['container', 'unpause', id]).code, 0);
    assert.match(engine.cli(['container', 'top', id]).stdout, /sleep 1000/);
    const stats = engine.cli(['container', 'stats', '--no-stream', id]);
    assert.match(stats.stdout, /CPU %[\s\S]*\d+\.\d\d%/);
    engine.cli(['container', 'rm', '-f', id]);
  });

  test('ls: running only by default, -a all, --format json, -q ids', () => {
    const id = engine.cli(['container', 'create', '--name', 'listed', '-l', 'team=a', TEST_IMAGE, 'true']).stdout.trim();
    assert.doesNotMatch(engine.cli(['container', 'ls']).stdout, /listed/);
    assert.match(engine.cli(['container', 'ls', '-a']).stdout, /listed/);
    const json = JSON.parse(engine.cli(['container', 'ls', '-a', '--format', 'json', '--filter', 'label=team=a']).stdout.trim());
    assert.equal(json.Names, 'listed');
    assert.equal(json.State, 'created');
    assert.equal(engine.cli(['container', 'ls', '-aq', '--filter', 'name=listed']).stdout.trim(), id.slice(0, 12));
    engine.cli(['container', 'rm', id]);
  });

  test('a restart policy brings a failing container back', async () => {
    const id = engine.cli(['container', 'run', '-d', '--restart', 'on-failure:2', TEST_IMAGE, 'sh', '-c', 'exit 1']).stdout.trim();
    for (let i = 0; i < 100 && (await engine.api.inspectContainer(id)).RestartCount !== 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await engine.api.inspectContainer(id)).RestartCount, 2);
    engine.cli(['container', 'rm', '-f', id]);
  });

  test('after rm nothing of the container remains: folder, cgroups', async () => {
    const id = engine.cli(['container', 'run', '-d', TEST_IMAGE, 'sleep', '1000']).stdout.trim();
    assert.equal(engine.cli(['container', 'rm', '-f', id]).code, 0);
    assert.equal(existsSync(join(engine.config.root, 'containers', id)), false);
    for (const controller of readdirSync('/sys/fs/cgroup')) {
      assert.equal(existsSync(join('/sys/fs/cgroup', controller, engine.config.cgroupParent, id)), false, controller);
    }
  });
});

describe('terminals and stdin', () => {
  test('run -it gets a terminal; exec -i and run -i pass stdin through', () => {
    const cli = engine.cli.bind(engine);
    assert.match(spawnInTerminal(`container run --rm -it ${TEST_IMAGE} tty`), /\/dev\/pts\/0/);
    assert.equal(cli(['container', 'run', '--rm', '-i', TEST_IMAGE, 'wc', '-l'], { input: 'a\nb\nc\n' }).stdout.trim(), '3');
    const id = cli(['container', 'run', '-d', TEST_IMAGE, 'sleep', '100']).stdout.trim();
    assert.equal(cli(['container', 'exec', '-i', id, 'cat'], { input: 'piped\n' }).stdout, 'piped\n');
    assert.match(spawnInTerminal(`container exec -it ${id} tty`), /\/dev\/pts\/\d+/);
    cli(['container', 'rm', '-f', id]);
  });
});

/** script(1) gives the CLI a real terminal, as a user's shell would. */
function spawnInTerminal(args: string): string {
  const r = spawnSync('script', ['-qec', `${process.execPath} ${CLI_ENTRY} ${args}`, '/dev/null'], { env: engine.env, encoding: 'utf8', input: '', timeout: 30_000 });
  return r.stdout;
}
