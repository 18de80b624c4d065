/** The volume store on a temp dir: create, inspect shape, filters, in-use refusal, prune rules. */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VolumeStore } from '../../src/volume/store.js';
import { NoSuchVolumeError, VolumeInUseError } from '../../src/volume/errors.js';
import { ANONYMOUS_LABEL } from '../../src/volume/types.js';
import { UserError } from '../../src/errors.js';

let dir: string;
let users: Map<string, string[]>;
let store: VolumeStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tscompose-volume-store-'));
  users = new Map();
  store = new VolumeStore(dir, { usersOf: (name) => users.get(name) ?? [] });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const filters = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe('create and inspect', () => {
  test("Docker's shape; the record is on disk and `_data` exists", () => {
    const { volume, created } = store.create({ Name: 'data', Labels: { a: 'b' } });
    assert.equal(created, true);
    const view = store.view(volume);
    assert.deepEqual({ ...view, CreatedAt: 'x' }, { CreatedAt: 'x', Driver: 'local', Labels: { a: 'b' }, Mountpoint: join(dir, 'data', '_data'), Name: 'data', Options: null, Scope: 'local' });
    assert.ok(existsSync(join(dir, 'data', '_data')));
    assert.equal(JSON.parse(readFileSync(join(dir, 'data', 'volume.json'), 'utf8')).name, 'data');
  });

  test('is idempotent for an existing name; a nameless one is anonymous (64 hex, labelled)', () => {
    store.create({ Name: 'data' });
    assert.equal(store.create({ Name: 'data' }).created, false);
    const anonymous = store.create({}).volume;
    assert.match(anonymous.name, /^[0-9a-f]{64}$/);
    assert.ok(ANONYMOUS_LABEL in anonymous.labels);
  });

  test('survives a restart of the store', () => {
    store.create({ Name: 'data', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } });
    const again = new VolumeStore(dir, { usersOf: () => [] });
    assert.deepEqual(again.view(again.get('data')).Options, { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
    assert.deepEqual(again.backing(again.get('data')), { kind: 'tmpfs', sizeBytes: 1024 * 1024, options: [] });
  });

  test('refuses bad names, other drivers and unsupported options', () => {
    assert.throws(() => store.create({ Name: '-bad' }), /invalid characters/);
    assert.throws(() => store.create({ Name: 'x1', Driver: 'nfs' }), /driver "nfs" is not supported/);
    assert.throws(() => store.create({ Name: 'x2', DriverOpts: { type: 'nfs', o: 'addr=1.2.3.4', device: ':/x' } }), /type=nfs is not supported/);
    assert.throws(() => store.create({ Name: 'x3', DriverOpts: { foo: 'bar' } }), UserError);
    assert.equal(store.list().length, 0, 'nothing half-created');
  });

  test('a missing volume is a 404', () => {
    assert.throws(() => store.get('nope'), (e: NoSuchVolumeError) => e.statusCode === 404 && e.message === 'get nope: no such volume');
  });
});

describe('list filters', () => {
  beforeEach(() => {
    store.create({ Name: 'web-data', Labels: { tier: 'web' } });
    store.create({ Name: 'db-data', Labels: { tier: 'db', backup: '' } });
    users.set('db-data', ['c1']);
  });
  const names = (f: Record<string, string[]>) => store.list(filters(f)).map((v) => v.name);

  test('name, label (key and key=value), dangling, driver', () => {
    assert.deepEqual(names({}), ['db-data', 'web-data']);
    assert.deepEqual(names({ name: ['web'] }), ['web-data']);
    assert.deepEqual(names({ label: ['backup'] }), ['db-data']);
    assert.deepEqual(names({ label: ['tier=web'] }), ['web-data']);
    assert.deepEqual(names({ dangling: ['true'] }), ['web-data']);
    assert.deepEqual(names({ dangling: ['false'] }), ['db-data']);
    assert.deepEqual(names({ driver: ['local'], name: ['data'] }), ['db-data', 'web-data']);
  });

  test('an unknown filter is the user\'s error', () => {
    assert.throws(() => names({ colour: ['red'] }), /invalid filter 'colour'/);
  });
});

describe('remove and prune', () => {
  test('in use = 409 unless forced; the data goes with it', async () => {
    store.create({ Name: 'busy' });
    users.set('busy', ['abc']);
    await assert.rejects(store.remove('busy'), (e: VolumeInUseError) => e.statusCode === 409 && /volume is in use - \[abc\]/.test(e.message));
    await store.remove('busy', { force: true });
    assert.equal(existsSync(join(dir, 'busy')), false);
    await assert.rejects(store.remove('busy'), NoSuchVolumeError);
    await store.remove('busy', { force: true }); // force ignores a missing one
  });

  test('a bind volume never deletes its device', async () => {
    const device = join(dir, '..', `${dir.split('/').pop()}-device`);
    rmSync(device, { recursive: true, force: true });
    writeFileSync(device + '.keep', 'x');
    store.create({ Name: 'bound', DriverOpts: { type: 'none', o: 'bind', device: device + '.keep' } });
    await store.remove('bound');
    assert.ok(existsSync(device + '.keep'));
    rmSync(device + '.keep');
  });

  test('prune: unused anonymous only by default, named too with all, label filters', async () => {
    const anonymous = store.create({}).volume.name;
    const usedAnonymous = store.create({}).volume.name;
    store.create({ Name: 'named', Labels: { keep: 'no' } });
    store.create({ Name: 'kept', Labels: { keep: 'yes' } });
    users.set(usedAnonymous, ['c']);
    writeFileSync(join(store.mountpoint(anonymous), 'f'), '12345');
    assert.deepEqual(await store.prune(), { deleted: [anonymous], reclaimedBytes: 5 });
    assert.deepEqual((await store.prune(filters({ all: ['true'], 'label!': ['keep=yes'] }))).deleted, ['named']);
    assert.deepEqual(store.list().map((v) => v.name).sort(), ['kept', usedAnonymous].sort());
  });
});
