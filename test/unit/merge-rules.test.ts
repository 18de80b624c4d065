import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.js';
import { canonicalize } from '../../src/compose/canonical/index.js';
import { mergeFiles } from '../../src/compose/merge/index.js';
import type { Dict } from '../../src/compose/types.js';

function web(...services: Dict[]): Dict {
  const model = mergeFiles(services.map((s) => canonicalize({ services: { web: s } })));
  return (model.services as Dict).web as Dict;
}

test('merge: scalars are replaced, sequences append, mappings merge', () => {
  const s = web({ image: 'a', cap_add: ['A'], deploy: { replicas: 1, labels: ['x=1'] } }, { image: 'b', cap_add: ['B', 'A'], deploy: { labels: { y: 2 } } });
  assert.equal(s.image, 'b');
  assert.deepEqual(s.cap_add, ['A', 'B']);
  assert.deepEqual(s.deploy, { replicas: 1, labels: { x: '1', y: '2' } });
});

test('merge: command, entrypoint and healthcheck.test are replaced whole', () => {
  const s = web(
    { command: ['a', 'b'], entrypoint: ['/x'], healthcheck: { test: ['CMD', 'a'], interval: '5s' } },
    { command: ['c'], entrypoint: '/y', healthcheck: { test: ['CMD', 'b'] } },
  );
  assert.deepEqual(s.command, ['c']);
  assert.equal(s.entrypoint, '/y');
  assert.deepEqual(s.healthcheck, { test: ['CMD', 'b'], interval: '5s' });
});

test('merge: an override null unsets an environment variable but keeps other attributes', () => {
  const s = web({ environment: { A: '1' }, networks: { front: { aliases: ['x'] } } }, { environment: { A: null }, networks: { front: null } });
  assert.deepEqual(s.environment, { A: null });
  assert.deepEqual(s.networks, { front: { aliases: ['x'] } });
});

test('merge: ports, volumes, secrets are de-duplicated by their key, later wins in place', () => {
  const s = web(
    { ports: ['8080:80', '9090:90'], volumes: ['./a:/data', 'logs:/logs'], secrets: ['token'] },
    { ports: ['8080:80', '127.0.0.1:8080:80'], volumes: ['other:/data'], secrets: [{ source: 'token2', target: 'token' }] },
  );
  assert.deepEqual(
    (s.ports as Dict[]).map((p) => `${p.host_ip ?? ''}:${p.published}:${p.target}`),
    [':8080:80', ':9090:90', '127.0.0.1:8080:80'],
  );
  assert.deepEqual((s.volumes as Dict[]).map((v) => v.source), ['other', 'logs']);
  assert.deepEqual(s.secrets, [{ source: 'token2', target: 'token' }]);
});

test('merge: a mapping cannot be overridden by a sequence', () => {
  assert.throws(
    () => mergeFiles([{ services: { web: { deploy: { replicas: 1 } } } }, { services: { web: { deploy: ['x'] } } }]),
    (e: unknown) => e instanceof UserError && e.message.startsWith('cannot override services.web.deploy'),
  );
});

test('merge: the inputs are not modified', () => {
  const a = canonicalize({ services: { web: { ports: ['80'], environment: ['A=1'] } } });
  const b = canonicalize({ services: { web: { ports: ['81'], environment: ['B=1'] } } });
  const [copyA, copyB] = [structuredClone(a), structuredClone(b)];
  mergeFiles([a, b]);
  assert.deepEqual([a, b], [copyA, copyB]);
});
