import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateModel, renderPath } from '../../src/compose/interpolate/index.js';
import { isOverride, isReset, OVERRIDE_TAG, RESET_TAG, type Dict, type ModelPath } from '../../src/compose/types.js';
import { UserError } from '../../src/errors.js';

const env: Record<string, string> = { USER: 'jenny', FOO: 'bar', COUNT: '5', YES: 'yes' };
const lookup = (name: string): string | undefined => (Object.hasOwn(env, name) ? env[name] : undefined);

test('every string value is interpolated, keys are not (compose-go TestInterpolate)', () => {
  const data: Dict = {
    services: {
      a: {
        image: 'example:${USER}',
        volumes: ['$FOO:/target'],
        logging: { driver: '${FOO}', options: { user: '$USER' } },
        labels: { $FOO: 'x' },
        'x-extra': [{ deep: '${FOO}' }],
      },
    },
  };
  assert.deepEqual(interpolateModel(data, { lookup }), {
    services: {
      a: {
        image: 'example:jenny',
        volumes: ['bar:/target'],
        logging: { driver: 'bar', options: { user: 'jenny' } },
        labels: { $FOO: 'x' },
        'x-extra': [{ deep: 'bar' }],
      },
    },
  });
});

test('the input is not modified', () => {
  const data: Dict = { services: { a: { image: '${FOO}' } } };
  interpolateModel(data, { lookup });
  assert.deepEqual(data, { services: { a: { image: '${FOO}' } } });
});

test('strings at typed paths become numbers and booleans, other scalars stay', () => {
  const warnings: string[] = [];
  const data: Dict = {
    services: {
      a: {
        deploy: { replicas: '${COUNT}' },
        privileged: '${YES}',
        tty: 'true',
        cpus: '0.5',
        ports: [{ target: '80', published: '${COUNT}' }],
        ulimits: { nproc: '65535', nofile: { soft: '1', hard: 2 } },
        environment: { N: '${COUNT}' },
        healthcheck: { retries: 3 },
      },
    },
    networks: { n: { external: 'false' } },
  };
  const out = interpolateModel(data, { lookup, warn: (m) => warnings.push(m) });
  assert.deepEqual(out, {
    services: {
      a: {
        deploy: { replicas: 5 },
        privileged: true,
        tty: true,
        cpus: 0.5,
        ports: [{ target: 80, published: '5' }],
        ulimits: { nproc: 65535, nofile: { soft: 1, hard: 2 } },
        environment: { N: '5' },
        healthcheck: { retries: 3 },
      },
    },
    networks: { n: { external: false } },
  });
  assert.deepEqual(warnings, ['"yes" for boolean is not supported by YAML 1.2, please use `true`']);
});

test('every failure is reported, sorted by path, pointing at the first (compose-go TestInterpolateErrorsSortedByPath)', () => {
  const located: ModelPath[] = [];
  const data: Dict = {
    service: {
      zzz: '${MISSING:?required}',
      aaa: '${',
      volumes: [{ source: '${ACME_PATH:?}' }],
    },
    services: { s: { tty: 'maybe' } },
  };
  assert.throws(
    () =>
      interpolateModel(data, {
        lookup,
        locate: (path) => {
          located.push(path);
          return { file: 'compose.yaml', line: 3, column: 5 };
        },
      }),
    (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(
        e.message,
        [
          'invalid interpolation format for service.aaa.\nYou may need to escape any $ with another $.\n${',
          'error while interpolating service.volumes.[].source: required variable ACME_PATH is missing a value',
          'error while interpolating service.zzz: required variable MISSING is missing a value: required',
          'error while interpolating services.s.tty: failed to cast to expected type: invalid boolean: maybe',
        ].join('\n'),
      );
      assert.deepEqual(e.position, { file: 'compose.yaml', line: 3, column: 5 });
      return true;
    },
  );
  assert.deepEqual(located, [['service', 'aaa']]);
});

test('without a locator the error names the file', () => {
  assert.throws(() => interpolateModel({ a: '${X?}' }, { lookup, file: 'c.yaml' }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.describe(), 'c.yaml: error while interpolating a: required variable X is missing a value');
    return true;
  });
});

test('!override values are interpolated inside their marker, !reset markers are kept', () => {
  const data: Dict = {
    services: { a: { image: { [OVERRIDE_TAG]: true, value: '${FOO}' }, ports: { [RESET_TAG]: true } } },
  };
  const out = interpolateModel(data, { lookup }) as { services: { a: Dict } };
  const { image, ports } = out.services.a;
  assert.ok(isOverride(image));
  assert.equal(image.value, 'bar');
  assert.ok(isReset(ports));
});

test('a __proto__ key stays a plain key', () => {
  const data = JSON.parse('{"x-a": {"__proto__": "${FOO}"}}') as Dict;
  const out = interpolateModel(data, { lookup }) as { 'x-a': Dict };
  assert.deepEqual(Object.entries(out['x-a']), [['__proto__', 'bar']]);
  assert.equal(Object.getPrototypeOf(out['x-a']), Object.prototype);
});

test('renderPath prints list items as []', () => {
  assert.equal(renderPath(['services', 'web', 'ports', 0, 'target']), 'services.web.ports.[].target');
});
