// layerFromDir (an overlay-format directory → OCI layer), SnapshotStore.adopt and ImageStore.commitDir / commitConfig.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ContentStore } from '../../src/image/content-store.js';
import { chainIds } from '../../src/image/digest.js';
import { ImageStore } from '../../src/image/image-store.js';
import { layerFromDir } from '../../src/image/layer-from-dir.js';
import { unpackLayer } from '../../src/image/layer-unpack.js';
import { MEDIA_TYPES, type OciImageConfig } from '../../src/image/oci-types.js';
import { chainIdOf } from '../../src/image/snapshots.js';
import { lgetxattr, lsetxattr, mknod, S_IFCHR, S_IFIFO } from '../../src/runtime/syscalls.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skipRoot = requiresRoot('root (char devices, trusted.* xattrs)');
const EMPTY_TAR_DIFF_ID = 'sha256:' + createHash('sha256').update(Buffer.alloc(1024)).digest('hex');
const T = new Date('2024-05-01T10:00:00.750Z');

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'tscompose-layer-dir-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
const fresh = (name: string) => {
  const dir = join(work, `${name}-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

interface TarEntry {
  path: string;
  type: string; // ustar type flag
  linkpath: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  devmajor: number;
  devminor: number;
  xattrs: Record<string, string>;
  content: string;
}

/** A small ustar/PAX reader, binary-safe for PAX records (node-tar does not report SCHILY.xattr.*). */
function parseTar(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let pax = new Map<string, Buffer>();
  while (offset + 512 <= tar.length) {
    const h = tar.subarray(offset, offset + 512);
    if (h.every((b) => b === 0)) break;
    const str = (start: number, length: number) => {
      const field = h.subarray(start, start + length);
      const end = field.indexOf(0);
      return field.subarray(0, end < 0 ? length : end).toString('utf8');
    };
    const num = (start: number, length: number) => parseInt(str(start, length).trim() || '0', 8);
    const size = num(124, 12);
    const type = str(156, 1);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = parsePax(body);
      continue;
    }
    const prefix = str(345, 155);
    const xattrs: Record<string, string> = {};
    for (const [key, value] of pax) if (key.startsWith('SCHILY.xattr.')) xattrs[key.slice('SCHILY.xattr.'.length)] = value.toString('utf8');
    entries.push({
      path: pax.get('path')?.toString('utf8') ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100)),
      type,
      linkpath: pax.get('linkpath')?.toString('utf8') ?? str(157, 100),
      size,
      mode: num(100, 8),
      uid: num(108, 8),
      gid: num(116, 8),
      mtime: num(136, 12),
      devmajor: num(329, 8),
      devminor: num(337, 8),
      xattrs,
      content: body.toString('utf8'),
    });
    pax = new Map();
  }
  return entries;
}

function parsePax(body: Buffer): Map<string, Buffer> {
  const records = new Map<string, Buffer>();
  let i = 0;
  while (i < body.length) {
    const space = body.indexOf(0x20, i);
    const length = Number(body.subarray(i, space).toString());
    const record = body.subarray(space + 1, i + length - 1);
    const eq = record.indexOf(0x3d);
    records.set(record.subarray(0, eq).toString(), record.subarray(eq + 1));
    i += length;
  }
  return records;
}

async function layerOf(dir: string, exclude?: (relPath: string) => boolean) {
  const content = new ContentStore(fresh('store'));
  const made = await layerFromDir(content, dir, exclude ? { exclude: (rel) => exclude(rel) } : {});
  const tar = gunzipSync(content.get(made.layer.digest));
  return { made, tar, entries: parseTar(tar), content };
}

/** A tree with files, folders, a symlink, a hard link and a fifo; fixed mtimes. */
function plainTree(): string {
  const dir = fresh('tree');
  mkdirSync(join(dir, 'etc/conf.d'), { recursive: true });
  mkdirSync(join(dir, 'var/cache/deep'), { recursive: true });
  writeFileSync(join(dir, 'etc/hosts'), 'hosts\n', { mode: 0o640 });
  writeFileSync(join(dir, 'etc/conf.d/a.conf'), 'a=1\n');
  writeFileSync(join(dir, 'var/cache/deep/blob'), 'x'.repeat(3000));
  writeFileSync(join(dir, 'bin'), '#!/bin/sh\n', { mode: 0o755 });
  linkSync(join(dir, 'bin'), join(dir, 'bin-link'));
  symlinkSync('../etc/hosts', join(dir, 'etc/hosts-link'));
  mknod(join(dir, 'fifo'), S_IFIFO, 0o600);
  const long = join(dir, 'd'.repeat(60), 'e'.repeat(60), 'f'.repeat(60));
  mkdirSync(long, { recursive: true });
  writeFileSync(join(long, 'name-that-makes-the-path-longer-than-ustar-allows'), 'long\n');
  for (const path of walk(dir)) utimesSync(path, T, T);
  return dir;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (lstatSync(path).isSymbolicLink()) continue;
    if (lstatSync(path).isDirectory()) out.push(...walk(path));
    out.push(path);
  }
  return out;
}

describe('layerFromDir', () => {
  test('writes files, folders, symlinks, hard links and fifos in sorted order, relative paths, folders with a slash', async () => {
    const dir = plainTree();
    const { made, tar, entries } = await layerOf(dir);
    const longDir = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}`;
    assert.deepEqual(entries.map((e) => e.path), [
      'bin',
      'bin-link',
      `${'d'.repeat(60)}/`,
      `${'d'.repeat(60)}/${'e'.repeat(60)}/`,
      `${longDir}/`,
      `${longDir}/name-that-makes-the-path-longer-than-ustar-allows`,
      'etc/',
      'etc/conf.d/',
      'etc/conf.d/a.conf',
      'etc/hosts',
      'etc/hosts-link',
      'fifo',
      'var/',
      'var/cache/',
      'var/cache/deep/',
      'var/cache/deep/blob',
    ]);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    assert.equal(byPath.get('bin')!.type, '0');
    assert.equal(byPath.get('bin')!.mode, 0o755);
    assert.equal(byPath.get('bin-link')!.type, '1');
    assert.equal(byPath.get('bin-link')!.linkpath, 'bin');
    assert.equal(byPath.get('bin-link')!.size, 0);
    assert.equal(byPath.get('etc/hosts')!.content, 'hosts\n');
    assert.equal(byPath.get('etc/hosts')!.mode, 0o640);
    assert.equal(byPath.get('etc/hosts')!.mtime, Math.floor(T.getTime() / 1000)); // whole seconds
    assert.equal(byPath.get('etc/hosts')!.uid, process.getuid!());
    assert.equal(byPath.get('etc/hosts-link')!.type, '2');
    assert.equal(byPath.get('etc/hosts-link')!.linkpath, '../etc/hosts');
    assert.equal(byPath.get('fifo')!.type, '6');
    assert.equal(byPath.get('etc/')!.type, '5');
    assert.equal(byPath.get('var/cache/deep/blob')!.content, 'x'.repeat(3000));
    assert.equal(made.size, 10 + 4 + 6 + 3000 + 5); // regular files, the hard link counted once
    assert.equal(made.empty, false);
    assert.equal(made.layer.mediaType, MEDIA_TYPES.ociLayerGzip);
    assert.equal(made.diffId, 'sha256:' + createHash('sha256').update(tar).digest('hex'));
  });

  test('the same tree gives the same diff_id and blob; a change gives another', async () => {
    const dir = plainTree();
    const first = await layerOf(dir);
    const second = await layerOf(dir);
    assert.equal(second.made.diffId, first.made.diffId);
    assert.deepEqual(second.made.layer, first.made.layer);
    writeFileSync(join(dir, 'etc/hosts'), 'other\n');
    utimesSync(join(dir, 'etc/hosts'), T, T);
    const third = await layerOf(dir);
    assert.notEqual(third.made.diffId, first.made.diffId);
  });

  test('exclude drops an entry and everything below it; the other name of a hard link takes over', async () => {
    const dir = plainTree();
    const { entries, made } = await layerOf(dir, (rel) => rel === 'var' || rel === 'bin' || rel === 'etc/hosts');
    const paths = entries.map((e) => e.path);
    assert.ok(!paths.some((p) => p.startsWith('var')));
    assert.ok(!paths.includes('etc/hosts'));
    assert.ok(paths.includes('etc/hosts-link'));
    const link = entries.find((e) => e.path === 'bin-link')!;
    assert.equal(link.type, '0'); // its first name was left out: the content comes with this one
    assert.equal(link.content, '#!/bin/sh\n');
    assert.equal(made.size, 10 + 4 + 5);
  });

  test('an empty directory is an empty layer: the tar is its end marker only', async () => {
    const { made, entries } = await layerOf(fresh('empty'));
    assert.deepEqual(entries, []);
    assert.equal(made.empty, true);
    assert.equal(made.size, 0);
    assert.equal(made.diffId, EMPTY_TAR_DIFF_ID);
  });

  test('overlay whiteouts and opaque folders become .wh. files; xattrs but overlay ones go in PAX records', { skip: skipRoot }, async () => {
    const dir = fresh('overlay');
    mkdirSync(join(dir, 'etc'));
    mknod(join(dir, 'etc/motd'), S_IFCHR, 0, 0, 0); // whiteout: etc/motd deleted
    mknod(join(dir, 'null'), S_IFCHR, 0o666, 1, 3); // a real device
    mkdirSync(join(dir, 'opaque'));
    lsetxattr(join(dir, 'opaque'), 'trusted.overlay.opaque', 'y');
    writeFileSync(join(dir, 'opaque/kept'), 'kept\n');
    writeFileSync(join(dir, 'attrs'), 'x');
    lsetxattr(join(dir, 'attrs'), 'trusted.overlay.origin', 'junk');
    lsetxattr(join(dir, 'attrs'), 'user.note', 'hello');
    lsetxattr(join(dir, 'attrs'), 'trusted.mine', 'value=with=equals\nand newline');
    for (const path of walk(dir)) utimesSync(path, T, T);
    const { entries, made } = await layerOf(dir);
    assert.deepEqual(entries.map((e) => e.path), ['attrs', 'etc/', 'etc/.wh.motd', 'null', 'opaque/', 'opaque/.wh..wh..opq', 'opaque/kept']);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    assert.equal(byPath.get('etc/.wh.motd')!.type, '0');
    assert.equal(byPath.get('etc/.wh.motd')!.size, 0);
    assert.equal(byPath.get('opaque/.wh..wh..opq')!.type, '0');
    assert.equal(byPath.get('null')!.type, '3');
    assert.deepEqual([byPath.get('null')!.devmajor, byPath.get('null')!.devminor], [1, 3]);
    assert.deepEqual(byPath.get('attrs')!.xattrs, { 'trusted.mine': 'value=with=equals\nand newline', 'user.note': 'hello' });
    assert.deepEqual(byPath.get('opaque/')!.xattrs, {});

    // unpacked again, the layer is the same overlay directory
    const content = new ContentStore(fresh('store'));
    const again = await layerFromDir(content, dir);
    const target = join(fresh('unpacked'), 'fs');
    const unpacked = await unpackLayer(content.path(again.layer.digest), target);
    assert.equal(unpacked.diffId, made.diffId);
    const whiteout = lstatSync(join(target, 'etc/motd'));
    assert.ok(whiteout.isCharacterDevice() && whiteout.rdev === 0);
    assert.equal(lgetxattr(join(target, 'opaque'), 'trusted.overlay.opaque')?.toString(), 'y');
    assert.equal(readFileSync(join(target, 'opaque/kept'), 'utf8'), 'kept\n');
    // and makes the same layer again (unpacking does not restore xattrs: compared without them)
    const relayered = parseTar(gunzipSync(content.get((await layerFromDir(content, target)).layer.digest)));
    const withoutXattrs = (list: TarEntry[]) => list.map((e) => ({ ...e, xattrs: {} }));
    assert.deepEqual(withoutXattrs(relayered), withoutXattrs(entries));
  });
});

describe('ImageStore.commitDir / commitConfig and SnapshotStore.adopt', () => {
  const baseConfig = (): OciImageConfig => ({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [] } });

  test('a first layer, a moved layer on top, a metadata step and an empty step', async () => {
    const store = new ImageStore(fresh('images'));
    const base = plainTree();
    const first = await store.commitDir(undefined, base, { ...baseConfig(), created: '2024-01-01T00:00:00.000Z' }, { history: { created_by: 'base' } });
    assert.ok(existsSync(base), 'without move the directory stays');
    assert.equal(first.layers.length, 1);
    assert.deepEqual(first.repoTags, []);
    assert.equal(first.config.history![0]!.created_by, 'base');
    assert.equal(first.created, '2024-01-01T00:00:00.000Z');
    const firstChain = first.config.rootfs.diff_ids[0]!;
    assert.equal(readFileSync(join(store.snapshots.fsPath(firstChain), 'etc/hosts'), 'utf8'), 'hosts\n');

    const upper = fresh('upper');
    writeFileSync(join(upper, 'new'), 'new\n');
    mkdirSync(join(upper, 'placeholder'));
    const second = await store.commitDir(first, upper, baseConfig(), { move: true, exclude: (rel) => rel === 'placeholder', history: { created_by: 'add new', comment: 'hi' } });
    assert.ok(!existsSync(upper), 'moved into the snapshot store');
    assert.equal(second.layers.length, 2);
    assert.deepEqual(second.layers[0], first.layers[0]);
    assert.equal(second.config.rootfs.diff_ids.length, 2);
    assert.deepEqual(second.config.history!.map((h) => [h.created_by, h.comment, h.empty_layer]), [['base', undefined, undefined], ['add new', 'hi', undefined]]);
    const topChain = chainIds(second.config.rootfs.diff_ids).at(-1)!;
    assert.equal(topChain, chainIdOf(firstChain, second.config.rootfs.diff_ids[1]!));
    const snapshot = store.snapshots.get(topChain)!;
    assert.equal(snapshot.parent, firstChain);
    assert.equal(snapshot.size, 4);
    assert.deepEqual(readdirSync(store.snapshots.fsPath(topChain)), ['new'], 'the excluded placeholder is not in the snapshot');
    assert.equal(store.lowerDirs(second).length, 2);

    const labelled = await store.commitConfig(second, { ...baseConfig(), config: { Cmd: ['sh'], Labels: { a: 'b' } } }, { created_by: 'LABEL a=b' });
    assert.deepEqual(labelled.layers, second.layers);
    assert.deepEqual(labelled.config.rootfs.diff_ids, second.config.rootfs.diff_ids);
    assert.equal(labelled.config.history!.at(-1)!.empty_layer, true);
    assert.deepEqual(labelled.config.config!.Labels, { a: 'b' });

    const nothing = await store.commitDir(labelled, fresh('nothing'), baseConfig(), { history: { created_by: 'true' } });
    assert.deepEqual(nothing.layers, labelled.layers, 'an empty directory adds no layer');
    assert.equal(nothing.config.history!.length, 4);
    assert.equal(nothing.config.history!.at(-1)!.empty_layer, true);

    store.tag(nothing.id, 'example/committed:v1');
    assert.deepEqual(store.get('example/committed:v1').repoTags, ['example/committed:v1']);
  });

  test('adopting a layer whose snapshot exists deletes the directory and keeps the snapshot', async () => {
    const store = new ImageStore(fresh('images'));
    const a = fresh('same');
    writeFileSync(join(a, 'f'), 'same\n');
    utimesSync(join(a, 'f'), T, T);
    utimesSync(a, T, T);
    const b = fresh('same');
    writeFileSync(join(b, 'f'), 'same\n');
    utimesSync(join(b, 'f'), T, T);
    utimesSync(b, T, T);
    const one = await store.commitDir(undefined, a, baseConfig(), { move: true });
    const chain = one.config.rootfs.diff_ids[0]!;
    const info = store.snapshots.get(chain)!;
    const two = await store.commitDir(undefined, b, baseConfig(), { move: true });
    assert.equal(two.config.rootfs.diff_ids[0], chain);
    assert.ok(!existsSync(b));
    assert.deepEqual(store.snapshots.get(chain), info);
    assert.equal(readdirSync(join(store.root, 'l')).length, 1, 'no second short link');
    assert.throws(() => store.snapshots.adopt(fresh('orphan'), { diffId: EMPTY_TAR_DIFF_ID, parent: 'sha256:' + '0'.repeat(64), size: 0 }), /parent layer .* is not unpacked/);
  });
});
