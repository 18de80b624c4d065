/** The container archive API and `container cp`: running, created and exited containers, both ways. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Header, Parser, type ReadEntry } from 'tar';
import { getContainerArchive, putContainerArchive, statContainerPath } from '../../src/engine/client/archive-api.js';
import { EngineError } from '../../src/engine/client/http-client.js';
import { isDirMode } from '../../src/engine/archive/path-stat.js';
import { fixtureDir, type FixtureDir } from '../helpers/fixture-dir.js';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (containers)');
let engine: TestEngine;
let host: FixtureDir;

before(async () => {
  if (skip) return;
  engine = await startTestEngine('archive');
  host = fixtureDir({ 'hello.txt': 'hello world\n', 'folder/inner.txt': 'from folder\n', 'folder/sub/deep.txt': 'deep\n' });
  chmodSync(host.file('folder/inner.txt'), 0o741);
  symlinkSync('/etc/passwd', host.file('folder/abs-link'));
});

after(async () => {
  if (skip) return;
  engine.cli(['container', 'rm', '-f', 'cp-run', 'cp-created', 'cp-exited']);
  host.cleanup();
  assert.deepEqual(await engine.stop(), []);
});

function ok(args: string[]): string {
  const r = engine.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Names (and symlink targets) of a tar stream. */
async function tarNames(stream: Readable): Promise<string[]> {
  const names: string[] = [];
  const parser = new Parser({ onReadEntry: (e: ReadEntry) => (names.push(e.type === 'SymbolicLink' ? `${e.path} -> ${e.linkpath}` : e.path), e.resume()) });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    stream.pipe(parser);
  });
  return names;
}

describe('a running container', { skip }, () => {
  before(() => ok(['container', 'run', '-d', '--name', 'cp-run', TEST_IMAGE, 'sleep', '1000']));

  test('a file and a directory go in (modes, symlinks kept) and come back out', () => {
    ok(['container', 'cp', host.file('hello.txt'), 'cp-run:/tmp/']);
    ok(['container', 'cp', host.file('folder'), 'cp-run:/tmp']);
    ok(['container', 'cp', host.file('hello.txt'), 'cp-run:/tmp/renamed.txt']);
    assert.equal(ok(['container', 'exec', 'cp-run', 'cat', '/tmp/hello.txt', '/tmp/renamed.txt', '/tmp/folder/sub/deep.txt']), 'hello world\nhello world\ndeep\n');
    assert.equal(ok(['container', 'exec', 'cp-run', 'stat', '-c', '%a', '/tmp/folder/inner.txt']).trim(), '741');
    assert.equal(ok(['container', 'exec', 'cp-run', 'readlink', '/tmp/folder/abs-link']).trim(), '/etc/passwd');

    const out = host.file('out');
    ok(['container', 'cp', 'cp-run:/tmp/folder', out]); // a new name: the folder's content under it
    assert.deepEqual(readdirSync(out).sort(), ['abs-link', 'inner.txt', 'sub']);
    assert.equal(readFileSync(join(out, 'sub/deep.txt'), 'utf8'), 'deep\n');
    assert.equal(lstatSync(join(out, 'inner.txt')).mode & 0o777, 0o741);
    assert.equal(readlinkSync(join(out, 'abs-link')), '/etc/passwd');
    ok(['container', 'cp', 'cp-run:/tmp/folder', out]); // an existing directory: nested
    assert.ok(existsSync(join(out, 'folder/sub/deep.txt')));
    mkdirSync(host.file('spill'));
    ok(['container', 'cp', 'cp-run:/tmp/folder/.', host.file('spill')]); // `dir/.`: the content
    assert.deepEqual(readdirSync(host.file('spill')).sort(), ['abs-link', 'inner.txt', 'sub']);
    ok(['container', 'cp', 'cp-run:/tmp/hello.txt', host.file('back.txt')]);
    assert.equal(readFileSync(host.file('back.txt'), 'utf8'), 'hello world\n');
  });

  test('the API: HEAD stats, GET tars under the base name, PUT wants an existing directory', async () => {
    const http = engine.api.http;
    const stat = await statContainerPath(http, 'cp-run', '/tmp/folder');
    assert.equal(stat.name, 'folder');
    assert.ok(isDirMode(stat.mode));
    assert.ok(isDirMode((await statContainerPath(http, 'cp-run', '/')).mode));
    const { stat: fileStat, tar } = await getContainerArchive(http, 'cp-run', '/tmp/hello.txt');
    assert.equal(fileStat.size, 12);
    assert.deepEqual(await tarNames(tar), ['hello.txt']);
    const sub = await getContainerArchive(http, 'cp-run', '/tmp/folder/sub');
    assert.deepEqual(await tarNames(sub.tar), ['sub/', 'sub/deep.txt']);
    const link = await statContainerPath(http, 'cp-run', '/tmp/folder/abs-link');
    assert.equal(link.linkTarget, '/etc/passwd');
    const put = (path: string) => putContainerArchive(http, 'cp-run', path, Readable.from([Buffer.alloc(1024)]));
    await assert.rejects(put('/nope'), (e: EngineError) => e.status === 404);
    await assert.rejects(put('/tmp/hello.txt'), (e: EngineError) => e.status === 400 && /not a directory/.test(e.message));
  });

  test('`-` streams a tar out and in', async () => {
    const r = engine.cli(['container', 'cp', 'cp-run:/tmp/hello.txt', '-']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^hello\.txt\0/);
    const { tar } = await getContainerArchive(engine.api.http, 'cp-run', '/tmp/hello.txt');
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(chunk as Buffer);
    const archive = Buffer.concat(chunks);
    assert.ok(archive.every((b) => b < 0x80)); // so that it can go through the CLI's stdin as a string
    const piped = engine.cli(['container', 'cp', '-', 'cp-run:/run'], { input: archive.toString('latin1') });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(ok(['container', 'exec', 'cp-run', 'cat', '/run/hello.txt']), 'hello world\n');
    assert.equal(engine.cli(['container', 'cp', '-', 'cp-run:/run']).code, 0); // an empty stdin is an empty archive
  });

  test('paths stay inside the container: `..` and absolute symlinks resolve in its root', async () => {
    ok(['container', 'exec', 'cp-run', 'ln', '-s', '/', '/tmp/rootlink']);
    const hostFile = host.file('hello.txt'); // exists on the host, not in the container
    await assert.rejects(statContainerPath(engine.api.http, 'cp-run', `/tmp/rootlink/../../..${hostFile}`), (e: EngineError) => e.status === 404);
    const passwd = await statContainerPath(engine.api.http, 'cp-run', '/tmp/rootlink/../../etc/passwd/');
    assert.equal(passwd.size, 120); // the image's passwd, not the host's
  });

  test('a big file, a long name, hard links and dir/non-dir conflicts', () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(130)}.txt`;
    const big = Buffer.alloc(24 * 1024 * 1024 + 7, 'x');
    const tree = fixtureDir({ [`bundle/${long}`]: 'long\n', 'bundle/big.bin': big.toString() });
    try {
      linkSync(tree.file('bundle/big.bin'), tree.file('bundle/big-link.bin'));
      ok(['container', 'cp', tree.file('bundle'), 'cp-run:/tmp']);
      assert.equal(ok(['container', 'exec', 'cp-run', 'sh', '-c', `cat "/tmp/bundle/${long}"; stat -c '%s %h' /tmp/bundle/big.bin`]), `long\n${big.length} 2\n`);
      ok(['container', 'cp', 'cp-run:/tmp/bundle', tree.file('back')]);
      assert.equal(readFileSync(tree.file(`back/${long}`), 'utf8'), 'long\n');
      assert.ok(readFileSync(tree.file('back/big.bin')).equals(big));
      assert.equal(lstatSync(tree.file('back/big-link.bin')).ino, lstatSync(tree.file('back/big.bin')).ino);
      ok(['container', 'exec', 'cp-run', 'mkdir', '/tmp/taken']);
      writeFileSync(tree.file('taken'), 'file\n');
      const clash = engine.cli(['container', 'cp', tree.file('taken'), 'cp-run:/tmp/']);
      assert.match(clash.stderr, /cannot overwrite directory "\/tmp\/taken" with non-directory/);
    } finally {
      tree.cleanup();
    }
  });

  test('a missing path is a clear error, both ways', () => {
    const out = engine.cli(['container', 'cp', 'cp-run:/nope', host.file('x')]);
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, /Could not find the file \/nope in container cp-run/);
    const into = engine.cli(['container', 'cp', host.file('hello.txt'), 'cp-run:/nope/dir/x.txt']);
    assert.notEqual(into.code, 0);
    assert.match(into.stderr, /No such container:path: cp-run:\/nope\/dir/);
    const from = engine.cli(['container', 'cp', host.file('missing'), 'cp-run:/tmp']);
    assert.match(from.stderr, /lstat .*missing: no such file or directory/);
    const noContainer = engine.cli(['container', 'cp', 'ghost:/x', host.file('x')]);
    assert.match(noContainer.stderr, /No such container: ghost/);
    assert.match(engine.cli(['container', 'cp', host.file('a'), host.file('b')]).stderr, /must specify at least one container source/);
  });
});

describe('a container that is not running', { skip }, () => {
  test('created: files copied in are there when it starts; image directories keep their owner', () => {
    ok(['container', 'create', '--name', 'cp-created', TEST_IMAGE, 'sh', '-c', 'cat /home/app/in/inner.txt /etc/added.txt; stat -c "%u %a" /home/app; ls /etc | wc -l']);
    ok(['container', 'cp', host.file('folder'), 'cp-created:/home/app/in']);
    ok(['container', 'cp', host.file('hello.txt'), 'cp-created:/etc/added.txt']);
    const back = host.file('created-back.txt');
    ok(['container', 'cp', 'cp-created:/etc/added.txt', back]); // read back through the merged view
    assert.equal(readFileSync(back, 'utf8'), 'hello world\n');
    ok(['container', 'start', 'cp-created']);
    assert.equal(ok(['container', 'wait', 'cp-created']).trim(), '0');
    assert.equal(ok(['container', 'logs', 'cp-created']), 'from folder\nhello world\n1000 755\n6\n');
  });

  test('exited: its files (and its deletions) are read through its layers', () => {
    ok(['container', 'run', '--name', 'cp-exited', TEST_IMAGE, 'sh', '-c', 'echo made > /etc/made.txt; rm /etc/group']);
    const dir = host.file('exited-etc');
    ok(['container', 'cp', 'cp-exited:/etc', dir]);
    assert.deepEqual(readdirSync(dir).sort(), ['hostname', 'hosts', 'made.txt', 'passwd', 'resolv.conf']);
    assert.equal(readFileSync(join(dir, 'made.txt'), 'utf8'), 'made\n');
    assert.match(engine.cli(['container', 'cp', 'cp-exited:/etc/group', host.file('g')]).stderr, /Could not find the file \/etc\/group/);
  });

  test('a directory copied where the container deleted one hides the image\'s old content', () => {
    ok(['container', 'run', '--name', 'cp-wiped', TEST_IMAGE, 'rm', '-rf', '/usr']);
    const tree = fixtureDir({ 'usr/only.txt': 'only\n' });
    try {
      ok(['container', 'cp', tree.file('usr'), 'cp-wiped:/']);
      ok(['container', 'cp', 'cp-wiped:/usr', tree.file('back')]);
      assert.deepEqual(readdirSync(tree.file('back')), ['only.txt']);
    } finally {
      tree.cleanup();
      engine.cli(['container', 'rm', 'cp-wiped']);
    }
  });

  test('an archive cannot write through a symlink of its own', async () => {
    const target = host.file('must-stay-empty');
    mkdirSync(target);
    const blocks = [tarHeader({ path: 'esc', type: 'SymbolicLink', linkpath: target }), tarHeader({ path: 'esc/pwned', type: 'File', size: 0 }), Buffer.alloc(1024)];
    await assert.rejects(putContainerArchive(engine.api.http, 'cp-exited', '/tmp', Readable.from(blocks)), (e: EngineError) => e.status === 400);
    assert.deepEqual(readdirSync(target), []);
  });
});

function tarHeader(data: ConstructorParameters<typeof Header>[0] & object): Buffer {
  const block = Buffer.alloc(512);
  new Header({ mode: 0o644, uid: 0, gid: 0, mtime: new Date(), size: 0, ...data }).encode(block, 0);
  return block;
}
