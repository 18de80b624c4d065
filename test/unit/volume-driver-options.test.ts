/** Docker's local driver options, and the CLI's template/size formatting for volumes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backingFor } from '../../src/volume/driver-options.js';
import { applyTemplate } from '../../src/cli/commands/volume/format.js';
import { filtersOf, keyValues } from '../../src/cli/commands/volume/options.js';
import { humanSize } from '../../src/util/units.js';

test('no options: the _data directory', () => {
  assert.deepEqual(backingFor({}, '/v/_data'), { kind: 'directory', path: '/v/_data' });
});

test('tmpfs: size, mode, uid/gid pass through; unknown options refused', () => {
  assert.deepEqual(backingFor({ type: 'tmpfs', device: 'tmpfs', o: 'size=64m,mode=1770,uid=1000,gid=1000' }, '/d'), {
    kind: 'tmpfs', sizeBytes: 64 * 1024 * 1024, mode: 0o1770, options: ['uid=1000', 'gid=1000'],
  });
  assert.throws(() => backingFor({ type: 'tmpfs', o: 'size=lots' }, '/d'), /invalid tmpfs size/);
  assert.throws(() => backingFor({ type: 'tmpfs', o: 'weird' }, '/d'), /not supported/);
});

test('bind: type=none,o=bind,device=/path (ro honoured); relative or missing device refused', () => {
  assert.deepEqual(backingFor({ type: 'none', o: 'bind', device: '/srv/data/' }, '/d'), { kind: 'directory', path: '/srv/data/' });
  assert.deepEqual(backingFor({ type: 'none', o: 'bind,ro', device: '/srv' }, '/d'), { kind: 'directory', path: '/srv', readOnly: true });
  assert.throws(() => backingFor({ type: 'none', o: 'bind', device: 'rel' }, '/d'), /absolute/);
  assert.throws(() => backingFor({ type: 'none', o: 'bind' }, '/d'), /device/);
});

test('nfs, cifs, ext4...: a clear "not supported"; unknown keys and type-less options refused', () => {
  for (const type of ['nfs', 'cifs', 'ext4', 'btrfs']) assert.throws(() => backingFor({ type, device: '/dev/x' }, '/d'), new RegExp(`type=${type} is not supported`));
  assert.throws(() => backingFor({ size: '10g' }, '/d'), /invalid option key/);
  assert.throws(() => backingFor({ device: '/x' }, '/d'), /missing required option: "type"/);
});

test('CLI helpers: templates, filters, labels, sizes', () => {
  assert.equal(applyTemplate('{{.Name}}\\t{{.Driver}}', { Name: 'v', Driver: 'local' }), 'v\tlocal');
  assert.equal(applyTemplate('{{json .Labels}}', { Labels: { a: 'b' } }), '{"a":"b"}');
  assert.throws(() => applyTemplate('{{.Nope}}', {}), /can't evaluate field Nope/);
  assert.deepEqual(filtersOf(['label=a=b', 'label=c', 'dangling=true']), { label: ['a=b', 'c'], dangling: ['true'] });
  assert.deepEqual(keyValues(['a=b', 'c'], '--label'), { a: 'b', c: '' });
  assert.throws(() => keyValues(['c'], '-o', true), /expected key=value/);
  assert.deepEqual([0, 36, 1500, 2_340_000].map((b) => humanSize(b)), ['0B', '36B', '1.5kB', '2.34MB']);
});
