import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize } from '../../src/compose/canonical/index.js';
import { isOverride, isReset, OVERRIDE_TAG, RESET_TAG, type Dict } from '../../src/compose/types.js';

function service(attrs: Dict): Dict {
  const model = canonicalize({ services: { web: attrs } });
  return (model.services as Dict).web as Dict;
}

test('canonical: KEY=VALUE lists become mappings of strings', () => {
  const s = service({
    environment: ['A=1', 'B', 'C=', 'D=x=y'],
    labels: ['L', 'M=2'],
    sysctls: { 'net.core.somaxconn': 1024 },
    annotations: { n: 1, t: true },
    build: { args: ['X', 'Y=2'], labels: { Z: null } },
  });
  assert.deepEqual(s.environment, { A: '1', B: null, C: '', D: 'x=y' });
  assert.deepEqual(s.labels, { L: '', M: '2' });
  assert.deepEqual(s.sysctls, { 'net.core.somaxconn': '1024' });
  assert.deepEqual(s.annotations, { n: '1', t: 'true' });
  assert.deepEqual(s.build, { args: { X: null, Y: '2' }, labels: { Z: '' } });
});

test('canonical: extra_hosts become host=ip strings, one per address', () => {
  assert.deepEqual(service({ extra_hosts: ['a:1.2.3.4', 'b=::1', 'c=[::2]', 'd=1.1.1.1,2.2.2.2'] }).extra_hosts, [
    'a=1.2.3.4',
    'b=::1',
    'c=::2',
    'd=1.1.1.1',
    'd=2.2.2.2',
  ]);
  assert.deepEqual(service({ extra_hosts: { z: '9.9.9.9', a: ['1.1.1.1', '2.2.2.2'] } }).extra_hosts, [
    'a=1.1.1.1',
    'a=2.2.2.2',
    'z=9.9.9.9',
  ]);
});

test('canonical: name lists become mappings (depends_on, networks, models)', () => {
  const s = service({ depends_on: ['db'], networks: ['front'], models: ['llm'] });
  assert.deepEqual(s.depends_on, { db: { condition: 'service_started', required: true } });
  assert.deepEqual(s.networks, { front: null });
  assert.deepEqual(s.models, { llm: null });
  assert.deepEqual(service({ depends_on: { db: { condition: 'service_healthy' } } }).depends_on, {
    db: { condition: 'service_healthy', required: true },
  });
});

test('canonical: string-or-list attributes and small long forms', () => {
  const s = service({
    build: '.',
    env_file: 'a.env',
    dns: '8.8.8.8',
    tmpfs: '/run',
    expose: [3000, '4000/udp'],
    secrets: ['token', { source: 'cert', target: '/c' }],
    configs: ['conf'],
    devices: ['/dev/sda', '/dev/sdb:/dev/xvdb', '/dev/sdc:/dev/xvdc:r'],
    extends: 'base',
    gpus: 'all',
  });
  assert.deepEqual(s.build, { context: '.' });
  assert.deepEqual(s.env_file, [{ path: 'a.env', required: true }]);
  assert.deepEqual(s.dns, ['8.8.8.8']);
  assert.deepEqual(s.tmpfs, ['/run']);
  assert.deepEqual(s.expose, ['3000', '4000/udp']);
  assert.deepEqual(s.secrets, [{ source: 'token' }, { source: 'cert', target: '/c' }]);
  assert.deepEqual(s.configs, [{ source: 'conf' }]);
  assert.deepEqual(s.devices, [
    { source: '/dev/sda', target: '/dev/sda', permissions: 'rwm' },
    { source: '/dev/sdb', target: '/dev/xvdb', permissions: 'rwm' },
    { source: '/dev/sdc', target: '/dev/xvdc', permissions: 'r' },
  ]);
  assert.deepEqual(s.extends, { service: 'base' });
  assert.deepEqual(s.gpus, [{ count: 'all' }]);
});

test('canonical: command, entrypoint and healthcheck strings are left as written', () => {
  const s = service({ command: 'echo hi', entrypoint: '/bin/sh -c', healthcheck: { test: 'curl -f http://x' } });
  assert.equal(s.command, 'echo hi');
  assert.equal(s.entrypoint, '/bin/sh -c');
  assert.deepEqual(s.healthcheck, { test: 'curl -f http://x' });
});

test('canonical: top level include and external resources', () => {
  const model = canonicalize({
    include: ['a.yaml', { path: 'b.yaml', env_file: 'b.env' }],
    networks: { old: { external: { name: 'real' } }, plain: null },
    'x-custom': { ports: ['80'] },
  });
  assert.deepEqual(model.include, [{ path: ['a.yaml'] }, { path: ['b.yaml'], env_file: ['b.env'] }]);
  assert.deepEqual(model.networks, { old: { external: true, name: 'real' }, plain: null });
  assert.deepEqual(model['x-custom'], { ports: ['80'] });
});

test('canonical: markers stay in place; an !override value is canonicalized inside its marker', () => {
  const reset = { [RESET_TAG]: true };
  const s = service({ ports: { [OVERRIDE_TAG]: true, value: ['8080:80'] }, environment: { A: reset }, volumes: reset });
  assert.ok(isOverride(s.ports));
  assert.deepEqual((s.ports as { value: unknown }).value, [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  assert.ok(isReset((s.environment as Dict).A));
  assert.ok(isReset(s.volumes));
});

test('canonical: the input is not modified', () => {
  const input = { services: { web: { ports: ['80'], environment: ['A=1'] } } };
  const copy = structuredClone(input);
  canonicalize(input);
  assert.deepEqual(input, copy);
});

test('canonical: build.ssh is a list of id / id=path, from either form', () => {
  assert.deepEqual(service({ build: { ssh: ['default', 'key=/k'] } }).build, { ssh: ['default', 'key=/k'] });
  assert.deepEqual(service({ build: { ssh: { default: null, key: '/k' } } }).build, { ssh: ['default', 'key=/k'] });
});
