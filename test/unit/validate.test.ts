import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateComposeDict } from '../../src/compose/validate/index.js';
import { UserError } from '../../src/errors.js';
import { OVERRIDE_TAG, RESET_TAG, type Dict, type Locator, type ModelPath } from '../../src/compose/types.js';

const FILE = 'compose.yaml';
const nowhere: Locator = () => undefined;

/** The message validation throws for `data`, or undefined when the data is valid. */
function problem(data: Dict, locate: Locator = nowhere): string | undefined {
  try {
    validateComposeDict(data, FILE, locate);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    return error.message;
  }
}

function web(service: Dict): Dict {
  return { services: { web: { image: 'nginx', ...service } } };
}

const reset = () => ({ [RESET_TAG]: true as const });
const override = (value: unknown) => ({ [OVERRIDE_TAG]: true as const, value });

test('accepts valid files in short and long syntax, including partial override files', () => {
  assert.equal(problem({}), undefined);
  assert.equal(problem({ services: { web: { ports: ['80:80', 8080, { target: 80, published: '8080' }] } } }), undefined);
  assert.equal(problem(web({ volumes: ['./a:/a', { type: 'bind', source: '.', target: '/b', bind: { selinux: 'z' } }] })), undefined);
  assert.equal(problem(web({ environment: { A: 1, B: null, C: true }, labels: ['a=b'], build: '.' })), undefined);
  assert.equal(problem(web({ depends_on: { db: { condition: 'service_healthy', required: false } } })), undefined);
  assert.equal(problem({ version: '3.9', name: 'app', include: ['a.yaml', { path: ['b.yaml'] }] }), undefined);
  assert.equal(problem({ networks: { front: null }, volumes: { data: null }, secrets: { s: { file: './s' } } }), undefined);
});

test('unknown keys are reported at every depth, naming the mapping that holds them', () => {
  assert.equal(problem({ services: {}, servics: {} }), "additional property 'servics' is not allowed");
  assert.equal(problem(web({ imagee: 'x' })), "services.web: additional property 'imagee' is not allowed");
  assert.equal(problem(web({ build: { context: '.', dockerfil: 'D' } })), "services.web.build: additional property 'dockerfil' is not allowed");
  assert.equal(
    problem(web({ deploy: { resources: { limits: { cpu: 1 } } } })),
    "services.web.deploy.resources.limits: additional property 'cpu' is not allowed",
  );
  assert.equal(
    problem(web({ ports: ['80', { target: 80, host: 'x' }] })),
    "services.web.ports.1: additional property 'host' is not allowed",
  );
  assert.equal(
    problem({ networks: { n: { ipam: { config: [{ subnet: '10.0.0.0/8', range: 'x' }] } } } }),
    "networks.n.ipam.config.0: additional property 'range' is not allowed",
  );
  assert.equal(problem({ services: { 'my web': {} } }), "services: additional property 'my web' is not allowed");
});

test('wrong types say what was expected and what was found', () => {
  assert.equal(problem(web({ image: 3 })), 'services.web.image: must be a string, got an integer');
  assert.equal(problem(web({ ports: [true] })), 'services.web.ports.0: must be a number, a string or a mapping, got a boolean');
  assert.equal(problem(web({ build: 3 })), 'services.web.build: must be a string or a mapping, got an integer');
  assert.equal(problem({ services: { web: 'nginx' } }), 'services.web: must be a mapping, got a string');
  assert.equal(problem(web({ environment: { A: ['x'] } })), 'services.web.environment.A: must be a string, a number, a boolean or null, got a list');
  assert.equal(problem(web({ use_api_socket: 'yes' })), 'services.web.use_api_socket: must be a boolean, got a string');
  assert.equal(problem(web({ cpu_percent: 150 })), 'services.web.cpu_percent: must be <= 100');
});

test('enums, required keys and unique lists', () => {
  assert.equal(problem(web({ cgroup: 'shared' })), 'services.web.cgroup: must be one of: host, private');
  assert.equal(
    problem(web({ volumes: [{ type: 'bnd', target: '/x' }] })),
    'services.web.volumes.0.type: must be one of: bind, volume, tmpfs, cluster, npipe, image',
  );
  assert.equal(
    problem(web({ depends_on: { db: { restart: true } } })),
    "services.web.depends_on.db: missing required property 'condition'",
  );
  assert.equal(problem({ models: { llm: { name: 'x' } } }), "models.llm: missing required property 'model'");
  assert.equal(problem(web({ cap_add: ['A', 'B', 'A'] })), 'services.web.cap_add: items 0 and 2 are equal; items must be unique');
  assert.equal(problem(web({ gpus: 'some' })), "services.web.gpus: must be 'all' or a list, got a string");
});

test('x- keys are accepted wherever the schema allows them, and only there', () => {
  const x = { 'x-note': { anything: [1, 2] } };
  const everywhere: Dict = {
    ...x,
    services: {
      web: {
        ...x,
        image: 'nginx',
        build: { ...x, context: '.' },
        deploy: { ...x, resources: { ...x, limits: { ...x, cpus: '0.5' } } },
        logging: { ...x, driver: 'json-file' },
        healthcheck: { ...x, test: ['CMD', 'true'] },
        ports: [{ ...x, target: 80 }],
        volumes: [{ ...x, type: 'volume', source: 'data', target: '/d', volume: { ...x, nocopy: true } }],
        networks: { front: { ...x, aliases: ['w'] } },
        depends_on: { db: { ...x, condition: 'service_started' } },
      },
    },
    networks: { front: { ...x, ipam: { ...x, config: [{ ...x, subnet: '10.0.0.0/8' }] } } },
    volumes: { data: { ...x, external: { ...x, name: 'd' } } },
    secrets: { s: { ...x, file: './s' } },
    configs: { c: { ...x, content: 'c' } },
    models: { m: { ...x, model: 'ai/smollm2' } },
  };
  assert.equal(problem(everywhere), undefined);
  assert.equal(problem(web({ extends: { service: 'base', 'x-a': 1 } })), "services.web.extends: additional property 'x-a' is not allowed");
  assert.equal(problem(web({ blkio_config: { weight: 10, 'x-a': 1 } })), "services.web.blkio_config: additional property 'x-a' is not allowed");
  assert.equal(problem({ include: [{ path: 'a.yaml', 'x-a': 1 }] }), "include.0: additional property 'x-a' is not allowed");
});

test('the position comes from the locator, pointing at the offending key or value', () => {
  const asked: ModelPath[] = [];
  const locate: Locator = (path) => {
    asked.push(path);
    return { file: FILE, line: 10 + path.length, column: 5 };
  };
  try {
    validateComposeDict(web({ imagee: 'x' }), FILE, locate);
    assert.fail('expected a UserError');
  } catch (error) {
    assert.ok(error instanceof UserError);
    assert.deepEqual(error.position, { file: FILE, line: 13, column: 5 });
    assert.deepEqual(asked, [['services', 'web', 'imagee']]);
    assert.equal(error.describe(), "compose.yaml:13:5: services.web: additional property 'imagee' is not allowed");
  }
});

test('without a position the error still names the file', () => {
  try {
    validateComposeDict(web({ image: 1 }), FILE, nowhere);
    assert.fail('expected a UserError');
  } catch (error) {
    assert.ok(error instanceof UserError);
    assert.deepEqual(error.position, { file: FILE });
  }
});

test('of several problems, the one that comes first in the file is reported', () => {
  const lines: Record<string, number> = { 'services.web.image': 7, 'services.web.tty': 3 };
  const locate: Locator = (path) => ({ file: FILE, line: lines[path.join('.')] ?? 99, column: 1 });
  assert.equal(problem(web({ image: 1, tty: 3 }), locate), 'services.web.tty: must be a boolean or a string, got an integer');
  lines['services.web.tty'] = 9;
  assert.equal(problem(web({ image: 1, tty: 3 }), locate), 'services.web.image: must be a string, got an integer');
});

test('!reset and !override markers are accepted wherever they appear', () => {
  assert.equal(problem(web({ image: reset(), ports: reset(), build: override({ context: '.' }) })), undefined);
  assert.equal(problem({ services: { web: reset() }, networks: override({ front: null }) }), undefined);
  assert.equal(problem(web({ ports: [reset(), '80:80'] })), undefined);
  assert.equal(problem(web({ environment: override(['A=1']) })), undefined);
});

test('the value under !override is still validated, and list positions account for !reset items', () => {
  assert.equal(problem(web({ build: override({ contxt: '.' }) })), "services.web.build: additional property 'contxt' is not allowed");
  const asked: ModelPath[] = [];
  const locate: Locator = (path) => {
    asked.push(path);
    return undefined;
  };
  assert.equal(problem(web({ ports: [reset(), '80:80', true] }), locate), 'services.web.ports.2: must be a number, a string or a mapping, got a boolean');
  assert.deepEqual(asked, [['services', 'web', 'ports', 2]]);
});
