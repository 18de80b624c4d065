import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanEntryPath, entryRole, SymlinkGuard } from '../../src/image/layer-paths.js';
import { UserError } from '../../src/errors.js';

test('entry paths are cleaned; escaping ones are refused naming the entry', () => {
  assert.equal(cleanEntryPath('./bin/sh'), 'bin/sh');
  assert.equal(cleanEntryPath('a//b/./c/'), 'a/b/c');
  assert.equal(cleanEntryPath('./'), '');
  assert.throws(() => cleanEntryPath('../x'), (e: unknown) => e instanceof UserError && e.message === `invalid layer entry "../x": path contains '..'`);
  assert.throws(() => cleanEntryPath('a/../../x'), /'\.\.'/);
  assert.throws(() => cleanEntryPath('/etc/passwd'), /"\/etc\/passwd": absolute path/);
});

test('whiteouts and opaque markers are recognised', () => {
  assert.deepEqual(entryRole('etc/.wh.passwd'), { kind: 'whiteout', target: 'etc/passwd' });
  assert.deepEqual(entryRole('.wh.tmp'), { kind: 'whiteout', target: 'tmp' });
  assert.deepEqual(entryRole('var/.wh..wh..opq'), { kind: 'opaque', dir: 'var' });
  assert.deepEqual(entryRole('.wh..wh.plnk'), { kind: 'ignored' });
  assert.deepEqual(entryRole('etc/passwd'), { kind: 'normal' });
});

test('writes through a symlink made by the same layer are refused; replacing the link is fine', () => {
  const guard = new SymlinkGuard();
  guard.check('link', 'link', true);
  assert.throws(() => guard.check('link/passwd', 'link/passwd', false), /goes through the symbolic link "link"/);
  assert.throws(() => guard.check('hard', 'hard', false, 'link/passwd'), /goes through the symbolic link/);
  guard.check('link', 'link', false); // now a directory
  guard.check('link/passwd', 'link/passwd', false);
});
