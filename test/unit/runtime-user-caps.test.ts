/** `user` resolution through the image's layers, and Docker's capability arithmetic. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveUser } from '../../src/runtime/user.js';
import { capabilityMask, resolveCapabilities, DEFAULT_CAPABILITIES } from '../../src/runtime/capabilities.js';
import { UserError } from '../../src/errors.js';

function layers(): { lowerDirs: string[]; upperDir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-runtime-user-'));
  const lower = join(dir, 'lower');
  const upper = join(dir, 'upper');
  mkdirSync(join(lower, 'etc'), { recursive: true });
  mkdirSync(join(upper, 'etc'), { recursive: true });
  writeFileSync(join(lower, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nold:x:999:999::/old:/bin/sh\n');
  writeFileSync(join(upper, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n');
  writeFileSync(join(lower, 'etc/group'), 'root:x:0:\nstaff:x:50:app,other\napp:x:1000:\nwheel:x:10:app\n');
  return { lowerDirs: [lower], upperDir: upper, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('names, uids and groups resolve against the top-most layer holding the file', () => {
  const l = layers();
  try {
    assert.deepEqual(resolveUser('app', l), { uid: 1000, gid: 1000, additionalGids: [50, 10], home: '/home/app' });
    assert.deepEqual(resolveUser(undefined, l), { uid: 0, gid: 0, additionalGids: [], home: '/root' });
    assert.deepEqual(resolveUser('1000:staff', l), { uid: 1000, gid: 50, additionalGids: [], home: '/home/app' });
    assert.deepEqual(resolveUser('4242:4343', l), { uid: 4242, gid: 4343, additionalGids: [], home: '/' });
    assert.deepEqual(resolveUser('app', l, ['root']).additionalGids, [50, 10, 0]);
    assert.throws(() => resolveUser('old', l), (e: unknown) => e instanceof UserError && e.message === 'unable to find user old: no matching entries in passwd file');
    assert.throws(() => resolveUser('app:nogroup', l), /unable to find group nogroup: no matching entries in group file/);
  } finally {
    l.cleanup();
  }
});

test('capabilities: Docker defaults, add, drop, ALL, privileged', () => {
  assert.equal(capabilityMask(DEFAULT_CAPABILITIES).toString(16), 'a80425fb');
  assert.deepEqual(resolveCapabilities({ capDrop: ['ALL'], capAdd: ['net_admin'] }), ['CAP_NET_ADMIN']);
  const noChown = resolveCapabilities({ capDrop: ['CHOWN'] });
  assert.ok(!noChown.includes('CAP_CHOWN') && noChown.length === DEFAULT_CAPABILITIES.length - 1);
  assert.equal(resolveCapabilities({ capAdd: ['ALL'], capDrop: ['SYS_ADMIN'] }).length, 40);
  assert.equal(resolveCapabilities({ privileged: true }).length, 41);
  assert.throws(() => resolveCapabilities({ capAdd: ['nope'] }), UserError);
});
