/** Named volumes end to end (root): real containers through the CLI and the Docker-shaped `/volumes` API. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxTarball, startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { requiresRoot } from '../helpers/root-guard.js';
import { createVolume, inspectVolume, listVolumes, pruneVolumes, removeVolume } from '../../src/engine/client/volume-api.js';
import { EngineError } from '../../src/engine/client/http-client.js';

const skip = requiresRoot('root (containers)');
let engine: TestEngine;
let hostDir: string;

before(async () => {
  if (skip) return;
  engine = await startTestEngine('volumes');
  hostDir = mkdtempSync(join(tmpdir(), 'tscompose-volume-binds-'));
});

after(async () => {
  if (skip) return;
  rmSync(hostDir, { recursive: true, force: true });
  const leftovers = await engine.stop();
  assert.deepEqual(leftovers, [], 'the engine left objects on the host (nothing may stay mounted under its root)');
});

/** `container run --rm IMAGE sh -c SCRIPT` through the CLI. */
function run(script: string, ...flags: string[]): { code: number; stdout: string; stderr: string } {
  return engine.cli(['container', 'run', '--rm', ...flags, TEST_IMAGE, 'sh', '-c', script]);
}

function cliOk(args: string[]): string {
  const r = engine.cli(args);
  assert.equal(r.code, 0, `tscompose ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function volumeNames(): Promise<string[]> {
  return (await listVolumes(engine.api.http)).Volumes.map((v) => v.Name);
}

/** Creates (not starts) a container through the API; returns its id. */
async function createContainer(name: string, cmd: string, hostConfig: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const { Id } = await engine.api.createContainer({ Image: TEST_IMAGE, Cmd: ['sh', '-c', cmd], HostConfig: hostConfig, ...extra }, name);
  return Id;
}

async function runToExit(id: string): Promise<number> {
  const wait = await engine.api.waitContainer(id, 'next-exit');
  await engine.api.startContainer(id);
  return (await wait.result()).StatusCode;
}

describe('named volumes', { skip }, () => {
  test('keep their data across container removal and re-creation', () => {
    assert.equal(run('echo kept > /data/file', '-v', 'voltest-keep:/data').code, 0);
    assert.equal(run('cat /data/file', '-v', 'voltest-keep:/data').stdout, 'kept\n');
    cliOk(['volume', 'rm', 'voltest-keep']);
  });

  test('an empty volume on a path with image content starts with it; a non-empty one is not overwritten', () => {
    const r = run('grep -c root /etc/passwd; ls -l /bin/sh', '-v', 'voltest-etc:/etc');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1\n/);
    const copied = join(engine.config.root, 'volumes', 'voltest-etc', '_data');
    assert.equal(readFileSync(join(copied, 'passwd'), 'utf8').split('\n')[0], 'root:x:0:0:root:/root:/bin/sh');
    // a non-empty volume keeps its own content
    cliOk(['volume', 'create', 'voltest-full']);
    writeFileSync(join(engine.config.root, 'volumes', 'voltest-full', '_data', 'mine'), 'x');
    assert.equal(run('ls /etc', '-v', 'voltest-full:/etc').stdout, 'mine\n');
    cliOk(['volume', 'rm', 'voltest-etc', 'voltest-full']);
  });

  test('copy-up keeps symlinks, owners and modes (and the directory owner goes to the volume root)', () => {
    const r = run('readlink /bin/sh; stat -c "%u %a" /home/app /bin/busybox; /bin/true && echo RAN', '-v', 'voltest-bin:/bin', '-v', 'voltest-home:/home/app');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['busybox', '1000 755', '0 755', 'RAN']);
    cliOk(['volume', 'rm', 'voltest-bin', 'voltest-home']);
  });

  test('no copy-up with VolumeOptions.NoCopy', async () => {
    const id = await createContainer('voltest-nocopy', 'true', { Mounts: [{ Type: 'volume', Source: 'voltest-nocopy', Target: '/etc', VolumeOptions: { NoCopy: true } }] });
    assert.equal(await runToExit(id), 0);
    await engine.api.removeContainer(id);
    assert.equal(existsSync(join(engine.config.root, 'volumes', 'voltest-nocopy', '_data', 'passwd')), false);
    await removeVolume(engine.api.http, 'voltest-nocopy');
  });

  test('a volume in use cannot be removed (409), running or not, unless forced', async () => {
    const id = await createContainer('voltest-user', 'true', { Binds: ['voltest-busy:/data'] });
    await assert.rejects(removeVolume(engine.api.http, 'voltest-busy'), (e: EngineError) => e.status === 409 && /volume is in use/.test(e.message));
    const r = engine.cli(['volume', 'rm', 'voltest-busy']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /volume is in use - \[/);
    await engine.api.removeContainer(id, { volumes: true });
    assert.ok((await volumeNames()).includes('voltest-busy'), 'rm -v never removes a named volume');
    await removeVolume(engine.api.http, 'voltest-busy');
  });
});

describe('anonymous volumes', { skip }, () => {
  test('`-v /data` makes one that `rm -v` removes and plain `rm` keeps', async () => {
    const before = await volumeNames();
    const created = (id: string) => engine.api.inspectContainer(id).then((c) => (c.Mounts as Array<{ Name: string; Type: string }>).filter((m) => m.Type === 'volume').map((m) => m.Name));
    const kept = cliOk(['container', 'create', '-v', '/data', TEST_IMAGE, 'true']).trim();
    const [keptVolume] = await created(kept);
    assert.match(keptVolume!, /^[0-9a-f]{64}$/);
    cliOk(['container', 'rm', kept]);
    assert.ok((await volumeNames()).includes(keptVolume!));
    const removed = cliOk(['container', 'create', '-v', '/data', TEST_IMAGE, 'true']).trim();
    const [removedVolume] = await created(removed);
    cliOk(['container', 'rm', '-v', removed]);
    assert.ok(!(await volumeNames()).includes(removedVolume!));
    // the one plain rm kept is dangling: prune (anonymous only by default) takes it
    const pruned = await pruneVolumes(engine.api.http);
    assert.deepEqual(pruned.VolumesDeleted, [keptVolume]);
    assert.deepEqual(await volumeNames(), before);
  });

  test('`--rm` (AutoRemove) removes them with the container', async () => {
    const before = await volumeNames();
    assert.equal(run('touch /scratch/x', '-v', '/scratch').code, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await volumeNames(), before);
  });

  test("an image's VOLUME gets an anonymous volume filled from the image", async () => {
    cliOk(['image', 'import', busyboxTarball(), 'voltest/with-volume:latest', '--change', 'VOLUME ["/etc"]', '--change', 'CMD ["sh"]']);
    const id = cliOk(['container', 'create', 'voltest/with-volume:latest', 'cat', '/etc/group']).trim();
    const [mount] = (await engine.api.inspectContainer(id)).Mounts as Array<{ Type: string; Name: string; Destination: string }>;
    assert.deepEqual([mount!.Type, mount!.Destination], ['volume', '/etc']);
    assert.equal(await runToExit(id), 0);
    assert.match(readFileSync(join(engine.config.root, 'volumes', mount!.Name, '_data', 'group'), 'utf8'), /^root:x:0:/);
    cliOk(['container', 'rm', '-v', id]);
    assert.ok(!(await volumeNames()).includes(mount!.Name));
    cliOk(['image', 'rm', 'voltest/with-volume:latest']);
  });

  test("Config.Volumes get one unless something else mounts there", async () => {
    const id = await createContainer('voltest-imgvol', 'true', { Tmpfs: { '/tmp': '' } }, { Volumes: { '/var/log': {}, '/tmp': {} } });
    const mounts = (await engine.api.inspectContainer(id)).Mounts as Array<{ Type: string; Destination: string; Name?: string; Driver?: string; RW: boolean }>;
    assert.deepEqual(mounts.map((m) => [m.Type, m.Destination, m.Driver]), [['volume', '/var/log', 'local']]);
    await engine.api.removeContainer(id, { volumes: true });
    assert.ok(!(await volumeNames()).includes(mounts[0]!.Name!));
  });
});

describe('binds', { skip }, () => {
  test("a bind's host source is never removed, and `-v` creates a missing one", async () => {
    const source = join(hostDir, 'src');
    const r = run('echo hi > /mnt/file; echo ok', '-v', `${source}:/mnt`);
    assert.equal(r.stdout, 'ok\n', r.stderr);
    const id = cliOk(['container', 'create', '-v', `${source}:/mnt:ro`, TEST_IMAGE, 'true']).trim();
    cliOk(['container', 'start', id]);
    cliOk(['container', 'rm', '-f', '-v', id]);
    assert.equal(readFileSync(join(source, 'file'), 'utf8'), 'hi\n');
  });

  test('read-only binds and Mounts of type bind; a missing source is a 400', async () => {
    assert.match(run('touch /mnt/x 2>&1 || echo RO', '-v', `${hostDir}:/mnt:ro`).stdout, /RO/);
    await assert.rejects(
      createContainer('voltest-nosrc', 'true', { Mounts: [{ Type: 'bind', Source: join(hostDir, 'missing'), Target: '/mnt' }] }),
      (e: EngineError) => e.status === 400 && /bind source path does not exist/.test(e.message),
    );
    const id = await createContainer('voltest-mkmp', 'true', { Mounts: [{ Type: 'bind', Source: join(hostDir, 'made'), Target: '/mnt', BindOptions: { CreateMountpoint: true } }] });
    assert.ok(statSync(join(hostDir, 'made')).isDirectory());
    const [mount] = (await engine.api.inspectContainer(id)).Mounts as Array<Record<string, unknown>>;
    assert.deepEqual(mount, { Type: 'bind', Source: join(hostDir, 'made'), Destination: '/mnt', Mode: '', RW: true, Propagation: 'rprivate' });
    await engine.api.removeContainer(id, { volumes: true });
    assert.ok(existsSync(join(hostDir, 'made')));
  });
});

describe('driver options and volumes-from', { skip }, () => {
  test('a tmpfs volume (driver_opts) is a tmpfs, empty again after a restart', async () => {
    await createVolume(engine.api.http, { Name: 'voltest-tmp', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=10m,uid=1000' } });
    const log = join(hostDir, 'tmpfs.log');
    const id = await createContainer('voltest-tmpfs', `ls -A /cache >> /out/tmpfs.log; grep " /cache " /proc/mounts | cut -d" " -f3,4 >> /out/tmpfs.log; stat -c %u /cache >> /out/tmpfs.log; touch /cache/x`, {
      Binds: ['voltest-tmp:/cache', `${hostDir}:/out`],
    });
    assert.equal(await runToExit(id), 0);
    assert.equal(await runToExit(id), 0);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 4, lines.join('\n')); // ls printed nothing, both times
    assert.match(lines[0]!, /^tmpfs .*size=10240k/);
    assert.equal(lines[1], '1000');
    await engine.api.removeContainer(id);
    await removeVolume(engine.api.http, 'voltest-tmp');
  });

  test('a bind volume (type=none,o=bind,device=...) mounts the host path and rm never touches it', async () => {
    const device = mkdtempSync(join(hostDir, 'device-'));
    writeFileSync(join(device, 'seed'), 'seed');
    cliOk(['volume', 'create', '-o', 'type=none', '-o', 'o=bind', '-o', `device=${device}`, 'voltest-dev']);
    assert.equal(run('cat /d/seed; echo new > /d/new', '-v', 'voltest-dev:/d').stdout, 'seed');
    cliOk(['volume', 'rm', 'voltest-dev']);
    assert.equal(readFileSync(join(device, 'new'), 'utf8'), 'new\n');
  });

  test('other types are refused with a clear message', async () => {
    const r = engine.cli(['volume', 'create', '-o', 'type=nfs', '-o', 'device=:/x', 'voltest-nfs']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /type=nfs is not supported/);
  });

  test('volumes_from shares the volume (read-only with :ro)', async () => {
    const source = await createContainer('voltest-from-src', 'echo shared > /data/f', { Binds: ['voltest-shared:/data'] });
    assert.equal(await runToExit(source), 0);
    const log = join(hostDir, 'from.log');
    const reader = await createContainer('voltest-from-dst', 'cat /data/f > /out/from.log; touch /data/g 2>/dev/null || echo RO >> /out/from.log', {
      VolumesFrom: ['voltest-from-src:ro'],
      Binds: [`${hostDir}:/out`],
    });
    assert.equal(await runToExit(reader), 0);
    assert.equal(readFileSync(log, 'utf8'), 'shared\nRO\n');
    await assert.rejects(removeVolume(engine.api.http, 'voltest-shared'), (e: EngineError) => e.status === 409);
    await engine.api.removeContainer(source, { volumes: true });
    await engine.api.removeContainer(reader, { volumes: true });
    await removeVolume(engine.api.http, 'voltest-shared');
  });
});

describe('the volume API and CLI', { skip }, () => {
  test('create / inspect shapes', async () => {
    const created = await createVolume(engine.api.http, { Name: 'voltest-shape', Labels: { team: 'a' } });
    const inspected = await inspectVolume(engine.api.http, 'voltest-shape');
    assert.deepEqual(inspected, created);
    assert.deepEqual(Object.keys(inspected).sort(), ['CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope']);
    assert.equal(inspected.Mountpoint, join(engine.config.root, 'volumes', 'voltest-shape', '_data'));
    assert.deepEqual([inspected.Driver, inspected.Scope, inspected.Labels, inspected.Options], ['local', 'local', { team: 'a' }, null]);
    assert.match(inspected.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const cli = JSON.parse(cliOk(['volume', 'inspect', 'voltest-shape'])) as unknown[];
    assert.deepEqual(cli, [inspected]);
    assert.equal(cliOk(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'voltest-shape']).trim(), inspected.Mountpoint);
    await assert.rejects(inspectVolume(engine.api.http, 'voltest-none'), (e: EngineError) => e.status === 404 && /no such volume/.test(e.message));
    await removeVolume(engine.api.http, 'voltest-shape');
  });

  test('ls: table, -q, --format json, --filter', async () => {
    cliOk(['volume', 'create', '--label', 'voltest=ls', 'voltest-ls-a']);
    cliOk(['volume', 'create', 'voltest-ls-b']);
    const id = await createContainer('voltest-ls-user', 'true', { Binds: ['voltest-ls-b:/b'] });
    assert.match(cliOk(['volume', 'ls', '--filter', 'name=voltest-ls']), /^DRIVER\s+VOLUME NAME\nlocal\s+voltest-ls-a\nlocal\s+voltest-ls-b\n$/);
    assert.equal(cliOk(['volume', 'ls', '-q', '--filter', 'name=voltest-ls']), 'voltest-ls-a\nvoltest-ls-b\n');
    assert.equal(cliOk(['volume', 'ls', '-q', '--filter', 'label=voltest=ls']), 'voltest-ls-a\n');
    assert.equal(cliOk(['volume', 'ls', '-q', '--filter', 'name=voltest-ls', '--filter', 'dangling=true']), 'voltest-ls-a\n');
    const rows = cliOk(['volume', 'ls', '--format', 'json', '--filter', 'name=voltest-ls-a']).trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(rows.map((r) => [r.Name, r.Driver, r.Labels, r.Scope]), [['voltest-ls-a', 'local', 'voltest=ls', 'local']]);
    const bad = await engine.api.http.json('GET', '/volumes', { query: { filters: JSON.stringify({ nope: ['x'] }) } }).catch((e: EngineError) => e);
    assert.equal((bad as EngineError).status, 400);
    await engine.api.removeContainer(id);
    cliOk(['volume', 'rm', 'voltest-ls-a', 'voltest-ls-b']);
  });

  test('prune: anonymous only by default, named with -a, never one in use', async () => {
    cliOk(['volume', 'create', 'voltest-prune-named']);
    cliOk(['volume', 'create', 'voltest-prune-used']);
    const anonymous = (await createVolume(engine.api.http)).Name;
    const id = await createContainer('voltest-prune-user', 'true', { Binds: ['voltest-prune-used:/u'] });
    assert.match(cliOk(['volume', 'prune', '-f']), new RegExp(`^Deleted Volumes:\\n${anonymous}\\n\\nTotal reclaimed space: 0B\\n$`));
    assert.equal(cliOk(['volume', 'prune']).includes('Deleted'), false, 'no answer = no prune');
    const all = await pruneVolumes(engine.api.http, { all: ['true'], label: [] });
    assert.deepEqual(all.VolumesDeleted, ['voltest-prune-named']);
    assert.equal(typeof all.SpaceReclaimed, 'number');
    await engine.api.removeContainer(id);
    cliOk(['volume', 'rm', 'voltest-prune-used']);
  });
});
