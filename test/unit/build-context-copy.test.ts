/** COPY/ADD sources: the context tree, resolving sources, their digest, and the tar placing them. */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { IgnoreMatcher, parseDockerignore } from '../../src/build/context/dockerignore.js';
import { contextSourceTree, imageSourceTree, type SourceTree } from '../../src/build/context/source-tree.js';
import { copyTar, extractionRoot, resolveSources, sourcesDigest, type CopyOptions, type DestKind } from '../../src/build/context/copy.js';
import { UserError } from '../../src/errors.js';

let dir: string;
const ctx = () => join(dir, 'ctx');

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
}

function tree(ignore = ''): SourceTree {
  return contextSourceTree(ctx(), new IgnoreMatcher(parseDockerignore(ignore)));
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tscompose-build-context-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  rmSync(ctx(), { recursive: true, force: true });
  writeFiles(ctx(), {
    'a.txt': 'a\n',
    'b.txt': 'b\n',
    'c.md': 'c\n',
    'src/main.go': 'package main\n',
    'src/lib/util.go': 'package lib\n',
    'src/README.md': 'readme\n',
    'dir/keep': 'keep\n',
    'dir/other': 'other\n',
  });
});

const names = (sources: Array<{ path: string }>) => sources.map((s) => s.path);

describe('the context tree', () => {
  test('ignored paths are invisible, an exception inside an ignored dir shows it', async () => {
    const t = tree('dir/\n!dir/keep\n*.md');
    assert.equal(await t.lookup('c.md'), undefined);
    assert.equal(await t.lookup('dir/other'), undefined);
    assert.ok(await t.lookup('dir/keep'));
    const root = (await t.lookup('/'))!;
    assert.equal(root.entry.kind, 'directory');
    const children = await t.children('/', root.entry as never);
    assert.deepEqual(children.map((c) => c.name), ['a.txt', 'b.txt', 'dir', 'src']);
    const d = (await t.lookup('dir'))!;
    assert.deepEqual((await t.children(d.path, d.entry as never)).map((c) => c.name), ['keep']);
  });

  test('an ignored dir with nothing included again is gone', async () => {
    const t = tree('dir/\n!dir/nothing-like-this');
    assert.equal(await t.lookup('dir'), undefined);
  });

  test('symlinks are followed inside the context; one to an ignored file finds nothing', async () => {
    symlinkSync('/src/main.go', join(ctx(), 'abs-link'));
    symlinkSync('../../../a.txt', join(ctx(), 'src/up-link'));
    symlinkSync('c.md', join(ctx(), 'md-link'));
    const t = tree('*.md');
    assert.equal((await t.lookup('abs-link'))!.path, '/src/main.go');
    assert.equal((await t.lookup('src/up-link'))!.path, '/a.txt');
    assert.equal((await t.lookup('abs-link', false))!.path, '/abs-link');
    assert.equal(await t.lookup('md-link'), undefined);
  });
});

describe('a context directory that is a symlink', () => {
  test('is followed', async () => {
    const link = join(dir, 'ctx-link');
    rmSync(link, { force: true });
    symlinkSync(ctx(), link);
    const t = contextSourceTree(link, new IgnoreMatcher([]));
    assert.deepEqual(names(await resolveSources(t, ['*.txt'])), ['/a.txt', '/b.txt']);
  });
});

describe('resolveSources', () => {
  test('files, directories, `..` and `/` stay inside the root', async () => {
    const t = tree();
    const found = await resolveSources(t, ['a.txt', './src', '../../b.txt', '/src/../c.md', '.']);
    assert.deepEqual(names(found), ['/a.txt', '/src', '/b.txt', '/c.md', '/']);
    assert.deepEqual(found.map((s) => s.isDir), [false, true, false, false, true]);
    assert.deepEqual(found.map((s) => s.name), ['a.txt', 'src', 'b.txt', 'c.md', '']);
  });

  test('globs are expanded (sorted), also in directories', async () => {
    const t = tree();
    assert.deepEqual(names(await resolveSources(t, ['*.txt'])), ['/a.txt', '/b.txt']);
    assert.deepEqual(names(await resolveSources(t, ['src/*.go', '?.md'])), ['/src/main.go', '/c.md']);
    assert.deepEqual(names(await resolveSources(t, ['s*/l*/*.go'])), ['/src/lib/util.go']);
    assert.deepEqual(names(await resolveSources(t, ['[ab].txt'])), ['/a.txt', '/b.txt']);
  });

  test('nothing matched is `"<src>": not found`; ignored files are not there', async () => {
    const t = tree('b.txt');
    await assert.rejects(resolveSources(t, ['missing.txt']), (e: unknown) => e instanceof UserError && e.message === '"missing.txt": not found');
    await assert.rejects(resolveSources(t, ['*.nothing']), { message: '"*.nothing": not found' });
    await assert.rejects(resolveSources(t, ['b.txt']), { message: '"b.txt": not found' });
    assert.deepEqual(names(await resolveSources(t, ['*.txt'])), ['/a.txt']);
  });

  test('a symlink source stands for its target, keeping its own name', async () => {
    symlinkSync('src/main.go', join(ctx(), 'link.go'));
    const [s] = await resolveSources(tree(), ['link.go']);
    assert.equal(s!.path, '/src/main.go');
    assert.equal(s!.name, 'link.go');
  });
});

const CONTEXT: CopyOptions = { keepOwnership: false, extractArchives: false };

describe('sourcesDigest', () => {
  const digest = async (ignore = '', sources = ['.'], opts = CONTEXT) => {
    const t = tree(ignore);
    return sourcesDigest(t, await resolveSources(t, sources), opts);
  };

  test('content changes it, mtime alone does not', async () => {
    const first = await digest();
    assert.match(first, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await digest(), first);
    utimesSync(join(ctx(), 'src/main.go'), new Date(1000), new Date(1000));
    assert.equal(await digest(), first);
    writeFileSync(join(ctx(), 'src/main.go'), 'package other\n');
    assert.notEqual(await digest(), first);
  });

  test('modes, new files and options change it', async () => {
    const first = await digest();
    chmodSync(join(ctx(), 'a.txt'), 0o600);
    const chmodded = await digest();
    assert.notEqual(chmodded, first);
    writeFileSync(join(ctx(), 'new.txt'), '');
    assert.notEqual(await digest(), chmodded);
    const now = await digest();
    assert.notEqual(await digest('', ['.'], { ...CONTEXT, chmod: 0o644 }), now);
    assert.notEqual(await digest('', ['.'], { ...CONTEXT, chown: { uid: 1, gid: 1 } }), now);
  });

  test('an ignored file changes nothing', async () => {
    const first = await digest('c.md\ndir');
    writeFileSync(join(ctx(), 'c.md'), 'changed\n');
    writeFileSync(join(ctx(), 'dir/other'), 'changed\n');
    writeFileSync(join(ctx(), 'dir/new'), 'new\n');
    assert.equal(await digest('c.md\ndir'), first);
    writeFileSync(join(ctx(), 'a.txt'), 'changed\n');
    assert.notEqual(await digest('c.md\ndir'), first);
  });

  test('only what the sources name counts', async () => {
    const first = await digest('', ['src']);
    writeFileSync(join(ctx(), 'a.txt'), 'changed\n');
    assert.equal(await digest('', ['src']), first);
  });
});

interface TarItem {
  path: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  linkpath?: string;
  content?: string;
  mtime?: number;
}

async function readTar(chunks: AsyncIterable<Buffer>): Promise<TarItem[]> {
  const items: TarItem[] = [];
  const parser = new Parser({
    onReadEntry: (e: ReadEntry) => {
      const item: TarItem = { path: e.path, type: e.type, mode: e.mode ?? 0, uid: e.uid ?? -1, gid: e.gid ?? -1 };
      if (e.linkpath) item.linkpath = e.linkpath;
      if (e.mtime) item.mtime = e.mtime.getTime();
      items.push(item);
      const data: Buffer[] = [];
      e.on('data', (d: Buffer) => data.push(d));
      e.on('end', () => {
        if (e.type === 'File') item.content = Buffer.concat(data).toString();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    const input = Readable.from(chunks);
    input.on('error', reject);
    input.pipe(parser);
  });
  return items;
}

/** An image with these existing paths (directories end in `/`). */
function image(paths: string[]) {
  const existing = new Map<string, DestKind>([['/', 'dir']]);
  for (const p of paths) existing.set(p.replace(/(.)\/$/, '$1'), p.endsWith('/') ? 'dir' : 'file');
  return { destExists: async (p: string) => existing.get(p) };
}

describe('copyTar', () => {
  const copy = async (sources: string[], dest: string, opts: Partial<CopyOptions> = {}, existing: string[] = [], ignore = '') => {
    const t = tree(ignore);
    const resolved = await resolveSources(t, sources);
    return readTar(copyTar(t, resolved, dest, { ...CONTEXT, ...opts, ...image(existing) }));
  };
  const paths = (items: TarItem[]) => items.map((i) => i.path);

  test('a directory source copies its content, not itself; a missing dest is made', async () => {
    chmodSync(join(ctx(), 'src'), 0o750);
    const items = await copy(['src'], '/app', {}, []);
    assert.deepEqual(paths(items), ['app/', 'app/README.md', 'app/lib/', 'app/lib/util.go', 'app/main.go']);
    const app = items[0]!;
    assert.equal(app.mode, 0o750); // the source directory's own mode
    assert.deepEqual([app.uid, app.gid], [0, 0]);
    assert.equal(items.find((i) => i.path === 'app/main.go')!.content, 'package main\n');
  });

  test('an existing destination directory gets no header, missing parents are 0755', async () => {
    const existing = await copy(['src/lib'], '/usr/local/', {}, ['/usr/', '/usr/local/']);
    assert.deepEqual(paths(existing), ['usr/local/util.go']);
    const made = await copy(['a.txt'], '/opt/x/y/', {}, ['/opt/']);
    assert.deepEqual(paths(made), ['opt/x/', 'opt/x/y/', 'opt/x/y/a.txt']);
    assert.deepEqual(made.slice(0, 2).map((i) => i.mode), [0o755, 0o755]);
  });

  test('a single file to a new name, into an existing directory, or over a file', async () => {
    chmodSync(join(ctx(), 'a.txt'), 0o640);
    utimesSync(join(ctx(), 'a.txt'), new Date(1_000_000), new Date(1_000_000));
    const renamed = await copy(['a.txt'], '/etc/renamed.conf', {}, ['/etc/']);
    assert.deepEqual(paths(renamed), ['etc/renamed.conf']);
    assert.equal(renamed[0]!.mode, 0o640);
    assert.equal(renamed[0]!.mtime, 1_000_000);
    assert.equal(renamed[0]!.content, 'a\n');
    assert.deepEqual(paths(await copy(['a.txt'], '/etc', {}, ['/etc/'])), ['etc/a.txt']);
    assert.deepEqual(paths(await copy(['a.txt'], '/etc/passwd', {}, ['/etc/', '/etc/passwd'])), ['etc/passwd']);
  });

  test('several files need a directory ending in /', async () => {
    assert.deepEqual(paths(await copy(['a.txt', 'b.txt'], '/dest/', {}, [])), ['dest/', 'dest/a.txt', 'dest/b.txt']);
    assert.deepEqual(paths(await copy(['*.txt'], '/dest/', {}, ['/dest/'])), ['dest/a.txt', 'dest/b.txt']);
    const message = 'When using COPY with more than one source file, the destination must be a directory and end with a /';
    await assert.rejects(copy(['a.txt', 'b.txt'], '/dest', {}, ['/dest/']), (e: unknown) => e instanceof UserError && e.message === message);
    await assert.rejects(copy(['*.txt'], '/dest'), { message });
    assert.deepEqual(paths(await copy(['a*.txt'], '/dest')), ['dest']); // a glob matching one file
  });

  test('a file on the way to the destination is an error', async () => {
    await assert.rejects(copy(['a.txt'], '/etc/passwd/x', {}, ['/etc/', '/etc/passwd']), UserError);
    await assert.rejects(copy(['src'], '/etc/passwd', {}, ['/etc/', '/etc/passwd']), UserError);
  });

  test('--chown owns what is copied and the directories made', async () => {
    const items = await copy(['src'], '/home/app/', { chown: { uid: 1000, gid: 1001 } }, ['/home/']);
    assert.ok(items.length > 0);
    for (const i of items) assert.deepEqual([i.path, i.uid, i.gid], [i.path, 1000, 1001]);
  });

  test('context files become 0:0; --from keeps owners', async () => {
    const mine = { uid: process.getuid!(), gid: process.getgid!() };
    const context = await copy(['a.txt'], '/x');
    assert.deepEqual([context[0]!.uid, context[0]!.gid], [0, 0]);
    const fromImage = await imageSourceTree([ctx()]);
    const resolved = await resolveSources(fromImage, ['a.txt']);
    const kept = await readTar(copyTar(fromImage, resolved, '/x', { keepOwnership: true, extractArchives: false, ...image([]) }));
    assert.deepEqual([kept[0]!.uid, kept[0]!.gid], [mine.uid, mine.gid]);
  });

  test('--chmod sets files and directories, not symlinks', async () => {
    symlinkSync('main.go', join(ctx(), 'src/link'));
    const items = await copy(['src'], '/app/', { chmod: 0o700 }, []);
    for (const i of items) {
      if (i.path === 'app/src/link' || i.type === 'SymbolicLink') continue;
      assert.equal(i.mode, 0o700, i.path);
    }
    const link = items.find((i) => i.type === 'SymbolicLink')!;
    assert.deepEqual([link.path, link.linkpath], ['app/link', 'main.go']);
    assert.equal(items.find((i) => i.path === 'app/')!.mode, 0o700);
  });

  test('hard links within the sources stay links', async () => {
    linkSync(join(ctx(), 'src/main.go'), join(ctx(), 'src/same.go'));
    const items = await copy(['src'], '/app/', {}, ['/app/']);
    const link = items.find((i) => i.type === 'Link')!;
    assert.deepEqual([link.path, link.linkpath], ['app/same.go', 'app/main.go']);
  });

  test('ignored files are not copied', async () => {
    const items = await copy(['.'], '/app/', {}, ['/app/'], '*.md\ndir\n!dir/keep');
    // `*.md` is for the root only: src/README.md stays
    assert.deepEqual(paths(items), ['app/a.txt', 'app/b.txt', 'app/dir/', 'app/dir/keep', 'app/src/', 'app/src/README.md', 'app/src/lib/', 'app/src/lib/util.go', 'app/src/main.go']);
  });

  test('an extraction root: names relative to it, the deepest existing directory', async () => {
    const t = tree();
    const resolved = await resolveSources(t, ['src/lib']);
    const probe = { ...CONTEXT, ...image(['/usr/', '/usr/local/']) };
    const root = await extractionRoot(resolved, '/usr/local/lib/x/', probe);
    assert.equal(root, '/usr/local');
    assert.deepEqual(paths(await readTar(copyTar(t, resolved, '/usr/local/lib/x/', { ...probe, root }))), ['lib/', 'lib/x/', 'lib/x/util.go']);
    assert.equal(await extractionRoot(resolved, '/usr/local/', probe), '/usr/local');
  });

  test('resolveDest: a destination under a symlinked directory goes where the link points', async () => {
    const t = tree();
    const resolved = await resolveSources(t, ['a.txt']);
    const links: Record<string, string> = { '/var/run': '/run' };
    const probe = {
      ...CONTEXT,
      ...image(['/run/', '/var/']),
      resolveDest: async (p: string) => links[p] ?? (['/run', '/var'].includes(p) ? p : undefined),
    };
    assert.deepEqual(paths(await readTar(copyTar(t, resolved, '/var/run/app/', probe))), ['run/app/', 'run/app/a.txt']);
  });
});

describe('ADD of a local archive', () => {
  let archiveDir: string;
  beforeEach(() => {
    archiveDir = join(dir, 'archive-src');
    rmSync(archiveDir, { recursive: true, force: true });
    writeFiles(archiveDir, { 'top.txt': 'top\n', 'sub/inner.txt': 'inner\n' });
    chmodSync(join(archiveDir, 'sub/inner.txt'), 0o751);
    const plain = execFileSync('tar', ['-C', archiveDir, '-cf', '-', '--owner=7', '--group=8', '--numeric-owner', 'top.txt', 'sub']);
    writeFileSync(join(ctx(), 'files.tar.gz'), gzipSync(plain));
    writeFileSync(join(ctx(), 'files.tar'), plain);
    writeFileSync(join(ctx(), 'not-really.tar.gz'), 'just text\n');
  });

  const add = async (source: string, dest: string, opts: Partial<CopyOptions> = {}, existing: string[] = []) => {
    const t = tree();
    const resolved = await resolveSources(t, [source]);
    return readTar(copyTar(t, resolved, dest, { ...CONTEXT, extractArchives: true, ...opts, ...image(existing) }));
  };

  test('a .tar.gz is unpacked into the destination (owners kept, modes kept)', async () => {
    const items = await add('files.tar.gz', '/opt/files', {}, ['/opt/']);
    assert.deepEqual(
      items.map((i) => i.path),
      ['opt/files/', 'opt/files/top.txt', 'opt/files/sub/', 'opt/files/sub/inner.txt'],
    );
    const inner = items.find((i) => i.path === 'opt/files/sub/inner.txt')!;
    assert.deepEqual([inner.mode, inner.uid, inner.gid, inner.content], [0o751, 7, 8, 'inner\n']);
  });

  test('a plain tar too; --chown owns the entries', async () => {
    const items = await add('files.tar', '/opt/', { chown: { uid: 5, gid: 6 } }, ['/opt/']);
    assert.deepEqual(items.map((i) => [i.path, i.uid]), [['opt/top.txt', 5], ['opt/sub/', 5], ['opt/sub/inner.txt', 5]]);
  });

  test('COPY does not unpack; a file that only looks like an archive is copied', async () => {
    const t = tree();
    const copied = await readTar(copyTar(t, await resolveSources(t, ['files.tar.gz']), '/opt/', { ...CONTEXT, ...image(['/opt/']) }));
    assert.deepEqual(copied.map((i) => i.path), ['opt/files.tar.gz']);
    const fake = await add('not-really.tar.gz', '/opt/', {}, ['/opt/']);
    assert.deepEqual(fake.map((i) => [i.path, i.content]), [['opt/not-really.tar.gz', 'just text\n']]);
  });

  test('the ADD message for several sources', async () => {
    const t = tree();
    const resolved = await resolveSources(t, ['files.tar', 'a.txt']);
    await assert.rejects(readTar(copyTar(t, resolved, '/opt', { ...CONTEXT, extractArchives: true, ...image([]) })), {
      message: 'When using ADD with more than one source file, the destination must be a directory and end with a /',
    });
  });

  for (const [program, ext] of [['xz', 'xz'], ['bzip2', 'bz2'], ['zstd', 'zst']] as const) {
    test(`a ${program} archive (with the host's ${program})`, async (t) => {
      try {
        execFileSync(program, ['--version'], { stdio: 'ignore' });
      } catch {
        t.skip(`${program} is not installed`);
        return;
      }
      execFileSync(program, ['-k', '-f', join(ctx(), 'files.tar')]);
      const compressed = `files.tar.${ext}`;
      const items = await add(compressed, '/opt/', {}, ['/opt/']);
      assert.deepEqual(items.map((i) => i.path), ['opt/top.txt', 'opt/sub/', 'opt/sub/inner.txt']);
    });
  }
});

describe('the tar through the engine extractor', () => {
  test('extractTar unpacks it: content, modes, owners, links', async () => {
    const { extractTar } = await import('../../src/engine/archive/extract.js');
    const { lstatSync, readFileSync, readlinkSync } = await import('node:fs');
    chmodSync(join(ctx(), 'src/main.go'), 0o741);
    linkSync(join(ctx(), 'src/main.go'), join(ctx(), 'src/same.go'));
    symlinkSync('lib/util.go', join(ctx(), 'src/link'));
    const out = join(dir, 'extracted');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(join(out, 'usr'), { recursive: true });
    const t = tree();
    const resolved = await resolveSources(t, ['src', 'a.txt']);
    const tar = copyTar(t, resolved, '/usr/app/', { ...CONTEXT, chown: { uid: 1234, gid: 5678 }, ...image(['/usr/']) });
    await extractTar(Readable.from(tar), out, { noOverwriteDirNonDir: false });
    assert.equal(readFileSync(join(out, 'usr/app/lib/util.go'), 'utf8'), 'package lib\n');
    assert.equal(readFileSync(join(out, 'usr/app/a.txt'), 'utf8'), 'a\n');
    assert.equal(readlinkSync(join(out, 'usr/app/link')), 'lib/util.go');
    const main = lstatSync(join(out, 'usr/app/main.go'));
    assert.equal(main.mode & 0o7777, 0o741);
    assert.equal(lstatSync(join(out, 'usr/app/same.go')).ino, main.ino);
    assert.equal(lstatSync(join(out, 'usr/app')).mode & 0o7777, 0o755);
    if (process.getuid?.() === 0) assert.deepEqual([main.uid, main.gid], [1234, 5678]);
  });
});
