// Image store on a real filesystem, as root: import, snapshots, overlay stacking, refused layers, removal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Header } from 'tar';
import { REPO_ROOT } from '../helpers/paths.js';
import { ImageStore } from '../../src/image/image-store.js';
import { imageHistory, inspectImage } from '../../src/image/image-inspect.js';
import { lgetxattr } from '../../src/runtime/syscalls.js';
import { MEDIA_TYPES } from '../../src/image/oci-types.js';
import { UserError } from '../../src/errors.js';

let work: string;
let busyboxTar: string;

const sha256File = (path: string) => 'sha256:' + createHash('sha256').update(readFileSync(path)).digest('hex');

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'tscompose-image-it-'));
  busyboxTar = join(work, 'busybox.tar');
  const script = pathToFileURL(join(REPO_ROOT, 'scripts/make-busybox-rootfs.mjs')).href;
  const { makeBusyboxRootfs } = (await import(script)) as { makeBusyboxRootfs: (out: string) => Promise<number> };
  await makeBusyboxRootfs(busyboxTar);
});

after(() => {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((line) => line.includes(work));
  rmSync(work, { recursive: true, force: true });
  assert.deepEqual(mounts, [], 'mounts left behind');
});

/** A fresh store root per test. */
function newStore(name: string): ImageStore {
  return new ImageStore(join(work, name));
}

interface TarEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link';
  body?: string;
  linkpath?: string;
  mode?: number;
}

/** A tar archive built entry by entry with node-tar's header encoder (so tests can write hostile names). */
function tarBytes(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? 'File';
    const body = Buffer.from(entry.body ?? '');
    const header = new Header({
      path: entry.path,
      type,
      mode: entry.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      size: type === 'File' ? body.length : 0,
      mtime: new Date('2024-01-01T00:00:00Z'),
      uid: 0,
      gid: 0,
      ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }),
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block);
    if (type === 'File' && body.length > 0) blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function writeTar(name: string, entries: TarEntry[]): string {
  const path = join(work, name);
  writeFileSync(path, tarBytes(entries));
  return path;
}

function assertStoreEmpty(store: ImageStore, root: string): void {
  assert.deepEqual(store.content.list(), [], 'blobs');
  assert.deepEqual(readdirSync(join(root, 'snapshots')), [], 'snapshot dirs');
  assert.deepEqual(readdirSync(join(root, 'l')), [], 'links');
  assert.deepEqual(readdirSync(join(root, 'ingest')), [], 'ingest');
}

test('imports the busybox rootfs: diff_id, config from --change, short lowerdirs with the files', async (t) => {
  const store = newStore('busybox');
  const started = performance.now();
  const image = await store.importRootfs(busyboxTar, { reference: 'tscompose/busybox:latest', changes: ['CMD ["sh"]'] });
  const elapsed = performance.now() - started;
  t.diagnostic(`busybox rootfs import: ${elapsed.toFixed(0)} ms (${(statSync(busyboxTar).size / 1e6).toFixed(1)} MB tar)`);

  assert.deepEqual(image.config.rootfs.diff_ids, [sha256File(busyboxTar)]);
  assert.deepEqual(image.config.config?.Cmd, ['sh']);
  assert.equal(image.config.os, 'linux');
  assert.deepEqual(image.repoTags, ['tscompose/busybox:latest']);
  assert.equal(image.id, 'sha256:' + createHash('sha256').update(store.content.get(image.id)).digest('hex'));
  assert.ok(image.manifestDigest && store.content.has(image.manifestDigest));
  assert.equal(image.layers[0]!.mediaType, MEDIA_TYPES.ociLayerGzip);

  const [lower] = store.lowerDirs(image);
  assert.match(lower!, /\/l\/[A-Z2-7]{10}$/);
  assert.ok(statSync(join(lower!, 'bin/busybox')).size > 100_000);
  assert.equal(readlinkSync(join(lower!, 'bin/sh')), 'busybox');
  assert.equal(readlinkSync(join(lower!, 'sbin/ifconfig')), '../bin/busybox');
  assert.match(readFileSync(join(lower!, 'etc/passwd'), 'utf8'), /^app:x:1000:1000:/m);
  assert.equal(statSync(join(lower!, 'tmp')).mode & 0o7777, 0o1777);
  assert.equal(statSync(join(lower!, 'root')).mode & 0o7777, 0o700);
  assert.equal(statSync(join(lower!, 'home/app')).uid, 1000);
  assert.equal(statSync(join(lower!, 'bin')).mtime.toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal(execFileSync(join(lower!, 'bin/busybox'), ['echo', 'ok'], { encoding: 'utf8' }), 'ok\n');

  assert.equal(store.resolve('tscompose/busybox')?.id, image.id);
  assert.equal(store.resolve(image.id.slice(7, 19))?.id, image.id);
  assert.equal(store.resolve(image.id)?.id, image.id);
  assert.equal(store.resolve('busybox'), undefined);
  assert.throws(() => store.get('nope'), (e: unknown) => e instanceof UserError && e.message === 'No such image: nope:latest');

  const inspect = inspectImage(store, image);
  assert.deepEqual((inspect.Config as { Cmd: string[] }).Cmd, ['sh']);
  assert.deepEqual(inspect.RootFS, { Type: 'layers', Layers: image.config.rootfs.diff_ids });
  assert.equal(imageHistory(store, image)[0]!.Comment, 'Imported from -');

  const reopened = new ImageStore(join(work, 'busybox'));
  assert.deepEqual(reopened.resolve('tscompose/busybox:latest'), image);
});

test('re-importing the same layer reuses its snapshot', async () => {
  const store = newStore('reuse');
  const first = await store.importRootfs(busyboxTar, { reference: 'a' });
  const fsDir = store.snapshots.fsPath(first.config.rootfs.diff_ids[0]!);
  const before = statSync(fsDir, { bigint: true });
  const second = await store.importRootfs(busyboxTar, { reference: 'b', changes: ['ENV X=1'] });
  const after = statSync(fsDir, { bigint: true });
  assert.notEqual(first.id, second.id);
  assert.deepEqual(store.lowerDirs(first), store.lowerDirs(second));
  assert.equal(after.ino, before.ino);
  assert.equal(after.ctimeNs, before.ctimeNs);
  assert.equal(store.snapshots.list().length, 1);
});

test('two layers stack in an overlay: whiteout hides a file, an opaque dir hides lower content', async () => {
  const root = join(work, 'two');
  const store = new ImageStore(root);
  const base = writeTar('base.tar', [
    { path: 'keep', type: 'Directory' },
    { path: 'keep/a', body: 'a\n' },
    { path: 'gone', body: 'bye\n' },
    { path: 'opq', type: 'Directory' },
    { path: 'opq/old', body: 'old\n' },
  ]);
  const top = writeTar('top.tar', [
    { path: '.wh.gone', body: '' },
    { path: 'opq', type: 'Directory' },
    { path: 'opq/.wh..wh..opq', body: '' },
    { path: 'opq/new', body: 'new\n' },
  ]);
  const layers = [];
  for (const tar of [base, top]) {
    const blob = await store.content.put(readFileSync(tar));
    layers.push({ mediaType: MEDIA_TYPES.ociLayer, ...blob });
  }
  const config = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256File(base), sha256File(top)] } };
  const image = await store.addImage({ config: Buffer.from(JSON.stringify(config)), layers });
  const lowers = store.lowerDirs(image);
  assert.equal(lowers.length, 2);

  const whiteout = lstatSync(join(lowers[1]!, 'gone'));
  assert.ok(whiteout.isCharacterDevice());
  assert.equal(whiteout.rdev, 0);
  assert.equal(lgetxattr(join(lowers[1]!, 'opq'), 'trusted.overlay.opaque')?.toString(), 'y');
  assert.equal(existsSync(join(lowers[1]!, '.wh.gone')), false);

  const mnt = join(root, 'mnt');
  for (const dir of ['upper', 'work', 'mnt']) mkdirSync(join(root, dir));
  const lowerdir = [...lowers].reverse().join(':'); // overlay lists the top layer first
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lowerdir},upperdir=${join(root, 'upper')},workdir=${join(root, 'work')}`, mnt]);
  try {
    assert.deepEqual(readdirSync(mnt).sort(), ['keep', 'opq']);
    assert.deepEqual(readdirSync(join(mnt, 'opq')), ['new']);
    assert.equal(readFileSync(join(mnt, 'keep/a'), 'utf8'), 'a\n');
  } finally {
    execFileSync('umount', [mnt]);
  }
});

test('a layer with "../x" is refused and leaves nothing', async () => {
  const root = join(work, 'dotdot');
  const store = new ImageStore(root);
  const tar = writeTar('dotdot.tar', [{ path: 'ok', body: 'fine' }, { path: '../x', body: 'escape' }]);
  await assert.rejects(store.importRootfs(tar, { reference: 'evil' }), (e: unknown) => e instanceof UserError && e.message.includes('"../x"'));
  assert.equal(existsSync(join(root, 'x')), false);
  assert.equal(existsSync(join(root, 'snapshots', 'x')), false);
  assert.equal(store.resolve('evil'), undefined);
  assertStoreEmpty(store, root);
});

test('a write through a symlink made by the layer is refused and leaves nothing', async () => {
  const root = join(work, 'symlink');
  const store = new ImageStore(root);
  const target = join(work, 'outside');
  mkdirSync(target);
  const tar = writeTar('symlink.tar', [
    { path: 'link', type: 'SymbolicLink', linkpath: target },
    { path: 'link/passwd', body: 'pwned\n' },
  ]);
  await assert.rejects(store.importRootfs(tar), (e: unknown) => e instanceof UserError && e.message.includes('"link/passwd"'));
  assert.deepEqual(readdirSync(target), []);
  assertStoreEmpty(store, root);
  const absolute = writeTar('absolute.tar', [{ path: '/etc/passwd', body: 'pwned\n' }]);
  await assert.rejects(store.importRootfs(absolute), /absolute path/);
  assertStoreEmpty(store, root);
});

test('a damaged tarball is a UserError and leaves nothing', async () => {
  const root = join(work, 'damaged');
  const store = new ImageStore(root);
  const bad = join(work, 'bad.tar');
  writeFileSync(bad, Buffer.concat([readFileSync(busyboxTar).subarray(0, 4096), Buffer.from('garbage'.repeat(100))]));
  await assert.rejects(store.importRootfs(bad), /invalid layer tarball: TAR_ENTRY_INVALID/);
  assertStoreEmpty(store, root);
  const badGzip = join(work, 'bad.tar.gz');
  writeFileSync(badGzip, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5]));
  await assert.rejects(store.importRootfs(badGzip), (e: unknown) => e instanceof UserError && /invalid layer tarball/.test(e.message));
  assertStoreEmpty(store, root);
  await assert.rejects(store.importRootfs(join(work, 'missing.tar')), /no such file or directory/);
});

test('remove untags, then deletes the image, its blobs and snapshots (Docker semantics)', async () => {
  const root = join(work, 'remove');
  const store = new ImageStore(root);
  const image = await store.importRootfs(busyboxTar, { reference: 'one:latest' });
  store.tag('one', 'two:x');
  assert.deepEqual(store.get('one').repoTags.sort(), ['one:latest', 'two:x']);

  assert.throws(() => store.remove(image.id), /conflict: unable to delete [0-9a-f]{12} \(must be forced\) - image is referenced in multiple repositories/);
  assert.deepEqual(store.remove('two:x'), { untagged: ['two:x'], deleted: [] });

  const stopped = () => ({ containerId: 'c'.repeat(64), running: false });
  assert.throws(() => store.remove('one', { inUse: stopped }), /must force\) - container cccccccccccc is using its referenced image/);
  const running = () => ({ containerId: 'c'.repeat(64), running: true });
  assert.throws(() => store.remove(image.id, { force: true, inUse: running }), /cannot be forced\) - image is being used by running container/);

  const result = store.remove('one');
  assert.deepEqual(result.untagged, ['one:latest']);
  assert.deepEqual(result.deleted, [image.id, image.config.rootfs.diff_ids[0]]);
  assert.equal(store.list().length, 0);
  assertStoreEmpty(store, root);
  assert.throws(() => store.remove('one'), /No such image: one:latest/);
});
