import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.js';
import { canonicalize } from '../../src/compose/canonical/index.js';
import { parseVolumeSpec } from '../../src/compose/canonical/volumes.js';

test('volumes: relative host path with ro is a bind that creates the host path', () => {
  assert.deepEqual(parseVolumeSpec('./a:/b:ro'), {
    type: 'bind',
    source: './a',
    target: '/b',
    read_only: true,
    bind: { create_host_path: true },
  });
});

test('volumes: absolute, home and parent host paths are binds', () => {
  for (const source of ['/srv/data', '~/data', '../data', '.']) {
    assert.deepEqual(parseVolumeSpec(`${source}:/data`), {
      type: 'bind',
      source,
      target: '/data',
      bind: { create_host_path: true },
    });
  }
});

test('volumes: a name is a named volume', () => {
  assert.deepEqual(parseVolumeSpec('db-data:/var/lib/db'), { type: 'volume', source: 'db-data', target: '/var/lib/db', volume: {} });
  assert.deepEqual(parseVolumeSpec('db-data:/var/lib/db:rw'), { type: 'volume', source: 'db-data', target: '/var/lib/db', volume: {} });
});

test('volumes: a lone path is an anonymous volume', () => {
  assert.deepEqual(parseVolumeSpec('/var/cache'), { type: 'volume', target: '/var/cache', volume: {} });
  assert.deepEqual(parseVolumeSpec('/c'), { type: 'volume', target: '/c' }); // compose-go's 1-2 character shortcut
});

test('volumes: nocopy, propagation and SELinux options', () => {
  assert.deepEqual(parseVolumeSpec('data:/d:nocopy'), { type: 'volume', source: 'data', target: '/d', volume: { nocopy: true } });
  assert.deepEqual(parseVolumeSpec('./a:/b:ro,rshared'), {
    type: 'bind',
    source: './a',
    target: '/b',
    read_only: true,
    bind: { propagation: 'rshared', create_host_path: true },
  });
  assert.deepEqual(parseVolumeSpec('./a:/b:z'), {
    type: 'bind',
    source: './a',
    target: '/b',
    bind: { selinux: 'z', create_host_path: true },
  });
  assert.deepEqual(parseVolumeSpec('./a:/b:cached'), {
    type: 'bind',
    source: './a',
    target: '/b',
    bind: { create_host_path: true },
  });
});

test('volumes: a Windows drive letter is part of the source', () => {
  assert.deepEqual(parseVolumeSpec('C:\\data:/data'), {
    type: 'bind',
    source: 'C:\\data',
    target: '/data',
    bind: { create_host_path: true },
  });
});

test('volumes: malformed specs are user errors', () => {
  for (const bad of ['', 'ab::/b', './a:/b:ro:extra']) {
    assert.throws(() => parseVolumeSpec(bad), UserError, bad);
  }
  assert.throws(
    () => canonicalize({ services: { web: { volumes: ['ab::/b'] } } }),
    (e: unknown) => e instanceof UserError && e.message.startsWith('services.web.volumes[0]: invalid spec: ab::/b'),
  );
});

test('volumes: long syntax passes through, and canonicalize is idempotent', () => {
  const long = { type: 'bind', source: './b', target: '/b' };
  const once = canonicalize({ services: { web: { volumes: ['./a:/a', long] } } });
  assert.deepEqual((once.services as any).web.volumes[1], long);
  assert.deepEqual(canonicalize(once), once);
});
