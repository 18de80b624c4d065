import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize } from '../../src/compose/canonical/index.js';
import { mergeFiles, mergeService } from '../../src/compose/merge/index.js';
import { OVERRIDE_TAG, RESET_TAG, type Dict } from '../../src/compose/types.js';

const reset = () => ({ [RESET_TAG]: true as const });
const override = (value: unknown) => ({ [OVERRIDE_TAG]: true as const, value });

function merged(...files: Dict[]): Dict {
  const model = mergeFiles(files.map((f) => canonicalize(f)));
  return (model.services as Dict).web as Dict;
}

const base = {
  services: {
    web: {
      image: 'nginx',
      ports: ['8080:80'],
      environment: { A: '1', B: '2' },
      volumes: ['./a:/a'],
      command: ['run'],
    },
  },
};

test('!reset removes an attribute', () => {
  const web = merged(base, { services: { web: { ports: reset(), volumes: reset() } } });
  assert.equal('ports' in web, false);
  assert.equal('volumes' in web, false);
  assert.equal(web.image, 'nginx');
});

test('!reset removes one key of a mapping', () => {
  const web = merged(base, { services: { web: { environment: { A: reset(), C: '3' } } } });
  assert.deepEqual(web.environment, { B: '2', C: '3' });
});

test('!reset removes a whole service', () => {
  const model = mergeFiles([canonicalize({ services: { web: { image: 'a' }, db: { image: 'b' } } }), canonicalize({ services: { db: reset() } })]);
  assert.deepEqual(Object.keys(model.services as Dict), ['web']);
});

test('!override replaces instead of merging, in canonical form', () => {
  const web = merged(base, { services: { web: { ports: override(['9090:90']), environment: override({ Z: 26 }) } } });
  assert.deepEqual(web.ports, [{ mode: 'ingress', target: 90, published: '9090', protocol: 'tcp' }]);
  assert.deepEqual(web.environment, { Z: '26' });
});

test('markers with nothing underneath: a reset key disappears, an override is its value', () => {
  const web = merged({ services: { web: { image: 'a', labels: reset(), dns: override('8.8.8.8') } } });
  assert.equal('labels' in web, false);
  assert.deepEqual(web.dns, ['8.8.8.8']);
});

test('no marker survives the merge', () => {
  const model = mergeFiles([
    canonicalize(base),
    canonicalize({ services: { web: { environment: { N: reset() }, deploy: { resources: override({ limits: { cpus: '1' } }) } } } }),
  ]);
  const text = JSON.stringify(model, (_k, v) => (typeof v === 'object' && v !== null && Object.getOwnPropertySymbols(v).length ? 'MARKER' : v));
  assert.equal(text.includes('MARKER'), false);
  assert.deepEqual(((model.services as Dict).web as Dict).deploy, { resources: { limits: { cpus: '1' } } });
});

test('mergeService applies the same rules and markers (extends)', () => {
  const parent = (canonicalize(base).services as Dict).web as Dict;
  const child = (canonicalize({ services: { web: { ports: ['8080:80', '443'], command: ['other'], volumes: reset() } } }).services as Dict)
    .web as Dict;
  const result = mergeService(parent, child);
  assert.deepEqual(result.command, ['other']);
  assert.equal('volumes' in result, false);
  assert.deepEqual(result.ports, [
    { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
    { mode: 'ingress', target: 443, protocol: 'tcp' },
  ]);
});
