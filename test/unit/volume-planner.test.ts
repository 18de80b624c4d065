/** A container's mount plan from its request: Binds / Mounts / Tmpfs / VolumesFrom / VOLUMEs, without side effects. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { draftPlan, type PlannerDeps } from '../../src/engine/volumes/planner.js';
import type { MountPlan } from '../../src/engine/volumes/plan.js';
import type { ContainerRecord } from '../../src/engine/containers/record.js';
import { ApiError } from '../../src/engine/api/http.js';

function record(hostConfig: ContainerRecord['hostConfig'], volumes?: Record<string, object>): ContainerRecord {
  return { id: 'c1', config: volumes ? { Volumes: volumes } : {}, hostConfig } as unknown as ContainerRecord;
}

const sourcePlan: MountPlan = {
  containerId: 'src',
  mounts: [
    { type: 'volume', target: '/shared', name: 'shared', readOnly: false, copyUp: true, anonymous: false, mode: '' },
    { type: 'tmpfs', target: '/run', tmpfs: {}, listed: false },
  ],
};

const deps: PlannerDeps = {
  volumeExists: (name) => name === 'existing',
  planOfContainer: (ref) => {
    if (ref !== 'src') throw new ApiError(404, `No such container: ${ref}`);
    return sourcePlan;
  },
  imageExists: (ref) => ref === 'present:latest',
};

describe('Binds', () => {
  test('named volume, bind, read-only, anonymous; parents first', () => {
    const draft = draftPlan(record({ Binds: ['existing:/data/sub:ro', 'fresh:/data', '/host/dir:/mnt:ro,rslave', '/anon'] }), [], deps);
    assert.deepEqual(draft.plan.mounts.map((m) => [m.type, m.target, 'readOnly' in m ? m.readOnly : false]), [
      ['volume', '/data', false], ['bind', '/mnt', true], ['volume', '/anon', false], ['volume', '/data/sub', true],
    ]);
    const anon = draft.plan.mounts[2]!;
    assert.ok(anon.type === 'volume' && anon.anonymous && /^[0-9a-f]{64}$/.test(anon.name));
    assert.deepEqual(draft.volumesToCreate.map((v) => [v.name === 'fresh' ? 'fresh' : 'anon', v.anonymous]), [['fresh', false], ['anon', true]]);
    assert.deepEqual(draft.bindSourcesToCreate, ['/host/dir']);
    const bind = draft.plan.mounts[1]!;
    assert.ok(bind.type === 'bind' && bind.propagation === 'rslave');
  });

  test('bad specs are 400s', () => {
    for (const bad of ['a:b:c:d', 'name:relative', '/x:/y:bogus', 'bad$name:/x', 'v:/']) {
      assert.throws(() => draftPlan(record({ Binds: [bad] }), [], deps), (e: ApiError) => e.status === 400, bad);
    }
  });

  test('two mounts at one path are a 400', () => {
    assert.throws(() => draftPlan(record({ Binds: ['a1:/x'], Tmpfs: { '/x': '' } }), [], deps), /Duplicate mount point: \/x/);
  });
});

describe('Mounts, Tmpfs', () => {
  test('volume options, tmpfs listed only from Mounts', () => {
    const draft = draftPlan(record({
      Mounts: [
        { Type: 'volume', Source: 'vo', Target: '/v', VolumeOptions: { NoCopy: true, Labels: { l: '1' }, DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } } } } as never,
        { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024 } },
      ],
      Tmpfs: { '/run': 'size=1m,mode=1777' },
    }), [], deps);
    const [v, t, run] = draft.plan.mounts;
    assert.ok(v!.type === 'volume' && !v!.copyUp);
    assert.deepEqual(draft.volumesToCreate, [{ name: 'vo', anonymous: false, labels: { l: '1' }, driverOpts: { type: 'tmpfs', device: 'tmpfs' } }]);
    assert.deepEqual(t, { type: 'tmpfs', target: '/t', tmpfs: { sizeBytes: 1024 }, listed: true });
    assert.deepEqual(run, { type: 'tmpfs', target: '/run', tmpfs: { sizeBytes: 1024 * 1024, mode: 0o1777 }, listed: false });
  });

  test('a bind whose source is missing is a 400 unless CreateMountpoint', () => {
    const missing = '/nonexistent/tscompose-test-path';
    assert.throws(() => draftPlan(record({ Mounts: [{ Type: 'bind', Source: missing, Target: '/m' }] }), [], deps), /bind source path does not exist/);
    const draft = draftPlan(record({ Mounts: [{ Type: 'bind', Source: missing, Target: '/m', BindOptions: { CreateMountpoint: true } }] }), [], deps);
    assert.deepEqual(draft.bindSourcesToCreate, [missing]);
  });

  test('an image mount needs the image locally; its subpath is normalised and may not leave the image', () => {
    const draft = draftPlan(record({ Mounts: [{ Type: 'image', Source: 'present:latest', Target: '/mnt/image/', ReadOnly: true, ImageOptions: { Subpath: 'usr/share/' } }] }), [], deps);
    assert.deepEqual(draft.plan.mounts, [{ type: 'image', target: '/mnt/image', image: 'present:latest', subpath: 'usr/share' }]);
    assert.throws(() => draftPlan(record({ Mounts: [{ Type: 'image', Source: 'absent', Target: '/m' }] }), [], deps), (e: ApiError) => e.status === 404 && /No such image: absent/.test(e.message));
    assert.throws(() => draftPlan(record({ Mounts: [{ Type: 'image', Source: 'present:latest', Target: '/m', ImageOptions: { Subpath: 'etc/../..' } }] }), [], deps), /must not contain "\.\."/);
  });

  test('unsupported volume drivers and options fail before anything is created', () => {
    assert.throws(() => draftPlan(record({ Mounts: [{ Type: 'volume', Source: 'nv', Target: '/n', VolumeOptions: { DriverConfig: { Options: { type: 'nfs' } } } } as never] }), [], deps), /type=nfs is not supported/);
  });
});

describe('VolumesFrom and VOLUMEs', () => {
  test("volumes-from takes the source's volumes (not its tmpfs), :ro makes them read-only; explicit mounts win", () => {
    const draft = draftPlan(record({ VolumesFrom: ['src:ro'] }), [], deps);
    assert.deepEqual(draft.plan.mounts, [{ type: 'volume', target: '/shared', name: 'shared', readOnly: true, copyUp: true, anonymous: false, mode: 'ro' }]);
    const overridden = draftPlan(record({ VolumesFrom: ['src'], Binds: ['existing:/shared'] }), [], deps);
    assert.ok(overridden.plan.mounts[0]!.type === 'volume' && overridden.plan.mounts[0]!.name === 'existing');
    assert.throws(() => draftPlan(record({ VolumesFrom: ['nope'] }), [], deps), /No such container: nope/);
  });

  test("image VOLUMEs and Config.Volumes become anonymous volumes unless mounted otherwise", () => {
    const draft = draftPlan(record({ Binds: ['/h:/var/lib/db'] }, { '/cache/': {} }), ['/var/lib/db', '/logs'], deps);
    assert.deepEqual(draft.plan.mounts.map((m) => `${m.type} ${m.target}`), ['volume /logs', 'volume /cache', 'bind /var/lib/db']);
    assert.equal(draft.volumesToCreate.length, 2);
  });
});
