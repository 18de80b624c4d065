import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { renderForConfig } from '../../src/compose/emit/index.js';
import { formatDuration, parseBytes, parseDuration, splitShellWords } from '../../src/compose/emit/go-values.js';
import { yamlKeyOrder } from '../../src/compose/emit/go-sort.js';

const service = (s: Record<string, unknown>) => renderForConfig({ name: 'p', services: { web: s } }).services as Record<string, any>;

test('durations print as Go time.Duration', () => {
  const cases: Array<[string, string]> = [
    ['10s', '10s'],
    ['60s', '1m0s'],
    ['90s', '1m30s'],
    ['120s', '2m0s'],
    ['1h', '1h0m0s'],
    ['1.5s', '1.5s'],
    ['500ms', '500ms'],
    ['1d', '24h0m0s'],
    ['1m30s200ms', '1m30.2s'],
    ['10us', '10µs'],
    ['0', '0s'],
  ];
  for (const [input, expected] of cases) assert.equal(formatDuration(parseDuration(input)), expected, input);
});

test('byte sizes follow go-units RAMInBytes', () => {
  assert.equal(parseBytes('50M'), 52428800);
  assert.equal(parseBytes('20m'), 20971520);
  assert.equal(parseBytes('1gb'), 1073741824);
  assert.equal(parseBytes('512k'), 524288);
  assert.equal(parseBytes(10000), 10000);
  assert.equal(parseBytes('1.5k'), 1536);
  assert.throws(() => parseBytes('lots'));
});

test('command strings split like a shell', () => {
  assert.deepEqual(splitShellWords('bundle exec thin -p 3000'), ['bundle', 'exec', 'thin', '-p', '3000']);
  assert.deepEqual(splitShellWords(`sh -c "echo 'hi there'"`), ['sh', '-c', "echo 'hi there'"]);
  assert.deepEqual(splitShellWords('a\\ b c'), ['a b', 'c']);
});

test('map keys sort like yaml.v3 (non-letters first, digit runs numerically)', () => {
  assert.deepEqual(['b', 'a10', 'a2', 'A', '_x'].sort(yamlKeyOrder), ['_x', 'A', 'a2', 'a10', 'b']);
  assert.deepEqual(['ENV_WITH_UNDERSCORE', 'ENV.WITH.DOT', 'BAZ'].sort(yamlKeyOrder), ['BAZ', 'ENV.WITH.DOT', 'ENV_WITH_UNDERSCORE']);
});

test('top-level and service keys follow the Go struct order; extensions last', () => {
  const out = renderForConfig({
    'x-top': 1,
    volumes: { v: {} },
    services: { web: { 'x-a': 1, image: 'nginx', build: { context: '/c' }, environment: { B: '1', A: null } } },
    name: 'p',
    networks: { n: null },
  });
  assert.deepEqual(Object.keys(out), ['name', 'services', 'networks', 'volumes', 'x-top']);
  const web = (out.services as any).web;
  assert.deepEqual(Object.keys(web), ['build', 'environment', 'image', 'x-a']);
  assert.deepEqual(web.environment, { A: null, B: '1' });
  assert.deepEqual((out.networks as any).n, {});
});

test('value forms: published as string, bytes, modes, healthcheck, hosts, labels', () => {
  const web = service({
    ports: [{ mode: 'ingress', target: 80, published: 8080, protocol: 'tcp' }],
    deploy: { resources: { limits: { memory: '50M', cpus: '0.5' } }, update_config: { monitor: '60s' } },
    secrets: [{ source: 's', mode: 0o440 }],
    configs: [{ source: 'c', mode: '0440' }],
    healthcheck: { test: 'curl -f x', interval: '30s', retries: 3 },
    extra_hosts: ['b:1.2.3.4', 'a=::1'],
    labels: { n: 42, e: null },
    sysctls: { 'net.core.somaxconn': 1024 },
    command: 'run --fast',
    tmpfs: '/run',
    ulimits: { nproc: 65535, nofile: { soft: 1, hard: 2 } },
    volumes: [{ type: 'bind', source: '/a', target: '/b', bind: { create_host_path: true } }, { type: 'volume', target: '/v', volume: {} }],
    env_file: [{ path: '/e', required: true }, { path: '/f', required: false }],
    depends_on: { db: { condition: 'service_started', required: true, restart: false } },
    stop_grace_period: '20s',
    privileged: false,
  }).web;
  assert.deepEqual(web.ports, [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  assert.deepEqual(web.deploy, { resources: { limits: { cpus: 0.5, memory: '52428800' } }, update_config: { monitor: '1m0s' } });
  assert.equal(web.secrets[0].mode, '0440');
  assert.equal(web.configs[0].mode, '0440');
  assert.deepEqual(web.healthcheck, { test: ['CMD-SHELL', 'curl -f x'], interval: '30s', retries: 3 });
  assert.deepEqual(web.extra_hosts, ['a=::1', 'b=1.2.3.4']);
  assert.deepEqual(web.labels, { e: '', n: '42' });
  assert.deepEqual(web.sysctls, { 'net.core.somaxconn': '1024' });
  assert.deepEqual(web.command, ['run', '--fast']);
  assert.deepEqual(web.tmpfs, ['/run']);
  assert.deepEqual(web.ulimits, { nofile: { soft: 1, hard: 2 }, nproc: 65535 });
  assert.deepEqual(web.volumes, [
    { type: 'bind', source: '/a', target: '/b', bind: {} },
    { type: 'volume', target: '/v', volume: {} },
  ]);
  assert.deepEqual(web.env_file, [{ path: '/e' }, { path: '/f', required: false }]);
  assert.deepEqual(web.depends_on, { db: { condition: 'service_started', required: true } });
  assert.equal(web.stop_grace_period, '20s');
  assert.equal('privileged' in web, false);
});

test('secret content is never printed; inline config content is', () => {
  const out = renderForConfig({
    services: {},
    secrets: { s: { name: 'p_s', environment: 'TOKEN', content: 'hunter2' } },
    configs: { c: { name: 'p_c', content: 'hello' } },
  });
  assert.deepEqual(out.secrets, { s: { name: 'p_s', environment: 'TOKEN' } });
  assert.deepEqual(out.configs, { c: { name: 'p_c', content: 'hello' } });
});

test('json format: bytewise keys, command/entrypoint null, ipam {}, no nested x-*', () => {
  const out = renderForConfig(
    { name: 'p', 'x-top': 1, services: { web: { image: 'i', 'x-s': 1 } }, networks: { n: { name: 'p_n' } } },
    { format: 'json' },
  );
  assert.deepEqual(Object.keys(out), ['name', 'networks', 'services', 'x-top']);
  assert.deepEqual((out.services as any).web, { command: null, entrypoint: null, image: 'i' });
  assert.deepEqual((out.networks as any).n, { name: 'p_n', ipam: {} });
});

test('the printed YAML reads like docker compose config', () => {
  const text = stringify(renderForConfig({ name: 'p', services: { web: { image: 'nginx', expose: [3000, '8000'] } } }), { lineWidth: 0 });
  assert.equal(text, 'name: p\nservices:\n  web:\n    expose:\n      - "3000"\n      - "8000"\n    image: nginx\n');
});
