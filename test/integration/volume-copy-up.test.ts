/** Copy-up reads the image through its layers as overlayfs would (root: whiteouts are device nodes, opaque is a trusted xattr). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lsetxattr, mknod, S_IFCHR } from '../../src/runtime/syscalls.js';
import { copyImageContent } from '../../src/volume/copy-up.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (whiteouts and trusted xattrs)');
let base: string;
let lower: string; // lowest layer
let upper: string; // the layer above it

before(() => {
  if (skip) return;
  base = mkdtempSync(join(tmpdir(), 'tscompose-copyup-'));
  lower = join(base, 'lower');
  upper = join(base, 'upper');
  const files: Array<[string, string]> = [
    [join(lower, 'app/kept'), 'lower'],
    [join(lower, 'app/deleted'), 'gone'],
    [join(lower, 'app/replaced'), 'old'],
    [join(lower, 'app/opaque/hidden'), 'hidden'],
    [join(lower, 'app/sub/a'), 'a'],
    [join(upper, 'app/replaced'), 'new'],
    [join(upper, 'app/opaque/visible'), 'visible'],
    [join(upper, 'app/sub/b'), 'b'],
  ];
  for (const [path, content] of files) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  }
  mknod(join(upper, 'app/deleted'), S_IFCHR, 0); // overlay whiteout
  lsetxattr(join(upper, 'app/opaque'), 'trusted.overlay.opaque', 'y');
  symlinkSync('kept', join(upper, 'app/link'));
  linkSync(join(upper, 'app/sub/b'), join(upper, 'app/sub/b2'));
  chownSync(join(upper, 'app/sub/b'), 1234, 5678);
  symlinkSync('/app', join(upper, 'alias')); // a symlink on the way to the mount path is followed inside the image
});

after(() => {
  if (!skip) rmSync(base, { recursive: true, force: true });
});

test('merges layers topmost first, honouring whiteouts and opaque dirs; keeps links and owners', { skip }, async () => {
  const dest = join(base, 'vol1');
  mkdirSync(dest);
  assert.deepEqual(await copyImageContent([lower, upper], '/alias', dest), { copied: true });
  assert.deepEqual(readdirSync(dest).sort(), ['kept', 'link', 'opaque', 'replaced', 'sub']);
  assert.equal(readFileSync(join(dest, 'replaced'), 'utf8'), 'new');
  assert.deepEqual(readdirSync(join(dest, 'opaque')), ['visible']);
  assert.deepEqual(readdirSync(join(dest, 'sub')).sort(), ['a', 'b', 'b2']);
  assert.equal(readlinkSync(join(dest, 'link')), 'kept');
  const b = lstatSync(join(dest, 'sub/b'));
  assert.deepEqual([b.uid, b.gid, b.nlink], [1234, 5678, 2]);
  assert.equal(lstatSync(join(dest, 'sub/b2')).ino, b.ino);
});

test('a path the image does not have (or whites out) copies nothing', { skip }, async () => {
  const dest = join(base, 'vol2');
  mkdirSync(dest);
  assert.deepEqual(await copyImageContent([lower, upper], '/nowhere', dest), { copied: false });
  assert.deepEqual(await copyImageContent([lower, upper], '/app/deleted', dest), { copied: false });
  assert.deepEqual(await copyImageContent([lower, upper], '/app/opaque/hidden', dest), { copied: false });
  assert.deepEqual(readdirSync(dest), []);
});
