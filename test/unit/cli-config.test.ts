import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { runTscompose } from '../helpers/cli.js';
import { fixtureDir } from '../helpers/fixture-dir.js';

const STACK = {
  'compose.yaml': [
    'name: demo',
    'services:',
    '  web:',
    '    image: nginx:${TAG:-1.25}',
    '    ports: ["8080:80"]',
    '    depends_on: [db]',
    '  db:',
    '    image: postgres',
    '    volumes: [data:/var/lib/postgresql/data]',
    '  debug:',
    '    image: busybox',
    '    profiles: [tools]',
    '  builder:',
    '    build: ./app',
    'volumes:',
    '  data: {}',
    'networks:',
    '  back: {}',
    '',
  ].join('\n'),
  'compose.override.yaml': 'services:\n  web:\n    environment:\n      MODE: dev\n',
  '.env': 'TAG=from-dotenv\n',
  'other.env': 'TAG=from-other\n',
};

function withStack(run: (dir: ReturnType<typeof fixtureDir>) => void): void {
  const dir = fixtureDir(STACK);
  try {
    run(dir);
  } finally {
    dir.cleanup();
  }
}

test('config finds compose.yaml and its override, reads .env, prints canonical YAML', () =>
  withStack((dir) => {
    const r = runTscompose(['config'], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    const model = parse(r.stdout);
    assert.equal(model.name, 'demo');
    assert.equal(model.services.web.image, 'nginx:from-dotenv');
    assert.deepEqual(model.services.web.environment, { MODE: 'dev' });
    assert.equal(model.services.web.ports[0].target, 80);
    assert.equal(model.services.debug, undefined, 'profile service disabled');
    assert.ok(r.stdout.startsWith('name: demo\nservices:\n'));
  }));

test('the OS environment wins over .env; --env-file replaces .env', () =>
  withStack((dir) => {
    const fromOs = runTscompose(['config', '--format', 'json'], { cwd: dir.path, env: { TAG: 'from-os' } });
    assert.equal(JSON.parse(fromOs.stdout).services.web.image, 'nginx:from-os');
    const fromFile = runTscompose(['--env-file', 'other.env', 'config', '--format', 'json'], { cwd: dir.path });
    assert.equal(JSON.parse(fromFile.stdout).services.web.image, 'nginx:from-other');
  }));

test('listing flags: --services --volumes --networks --profiles --images', () =>
  withStack((dir) => {
    const out = (flag: string, ...extra: string[]) => runTscompose([...extra, 'config', flag], { cwd: dir.path }).stdout;
    assert.deepEqual(out('--services').trim().split('\n').sort(), ['builder', 'db', 'web']);
    assert.equal(out('--volumes'), 'data\n');
    assert.match(out('--networks'), /back/);
    assert.equal(out('--profiles'), 'tools\n');
    assert.deepEqual(out('--images').trim().split('\n').sort(), ['demo-builder', 'nginx:from-dotenv', 'postgres']);
    assert.match(out('--services', '--profile', 'tools'), /debug/);
    assert.match(runTscompose(['config', '--services'], { cwd: dir.path, env: { COMPOSE_PROFILES: 'tools' } }).stdout, /debug/);
  }));

test('a service named on the command line enables its profile', () =>
  withStack((dir) => {
    const r = runTscompose(['config', '--services', 'debug'], { cwd: dir.path });
    assert.equal(r.stdout, 'debug\n');
  }));

test('--hash prints a stable hash per service that changes with the service', () =>
  withStack((dir) => {
    const a = runTscompose(['config', '--hash', '*'], { cwd: dir.path }).stdout;
    assert.match(a, /^builder [0-9a-f]{64}\ndb [0-9a-f]{64}\nweb [0-9a-f]{64}\n$/);
    const b = runTscompose(['config', '--hash', 'web'], { cwd: dir.path, env: { TAG: 'other' } }).stdout;
    assert.notEqual(a.split('\n')[2], b.trim());
  }));

test('-q validates only; -o writes a file; --format json', () =>
  withStack((dir) => {
    assert.equal(runTscompose(['config', '-q'], { cwd: dir.path }).stdout, '');
    const target = dir.file('out.yaml');
    assert.equal(runTscompose(['config', '-o', target], { cwd: dir.path }).code, 0);
    assert.equal(parse(readFileSync(target, 'utf8')).name, 'demo');
  }));

test('--variables lists variables with defaults; --no-interpolate keeps templates', () =>
  withStack((dir) => {
    const vars = runTscompose(['config', '--variables'], { cwd: dir.path }).stdout;
    assert.match(vars, /^NAME\s+REQUIRED\s+DEFAULT VALUE\s+ALTERNATE VALUE\nTAG\s+false\s+1\.25\n$/);
    const raw = runTscompose(['config', '--no-interpolate', '--format', 'json'], { cwd: dir.path }).stdout;
    assert.equal(JSON.parse(raw).services.web.image, 'nginx:${TAG:-1.25}');
  }));

test('--environment prints the interpolation environment', () =>
  withStack((dir) => {
    const env = runTscompose(['config', '--environment'], { cwd: dir.path }).stdout;
    assert.match(env, /^TAG=from-dotenv$/m);
  }));

test('-f - reads standard input; COMPOSE_FILE lists files; -p names the project', () =>
  withStack((dir) => {
    const stdin = runTscompose(['-f', '-', 'config', '--services'], { cwd: dir.path, input: 'services:\n  solo:\n    image: x\n' });
    assert.equal(stdin.stdout, 'solo\n', stdin.stderr);
    const viaVar = runTscompose(['config', '--format', 'json'], { cwd: dir.path, env: { COMPOSE_FILE: 'compose.yaml' } });
    assert.equal(JSON.parse(viaVar.stdout).services.web.environment, undefined, 'override not read when COMPOSE_FILE is set');
    const named = runTscompose(['-p', 'other', 'config', '--format', 'json'], { cwd: dir.path });
    assert.equal(JSON.parse(named.stdout).name, 'other');
  }));

test('an unset variable warns and becomes empty', () => {
  const dir = fixtureDir({ 'compose.yaml': 'services:\n  web:\n    image: "nginx${SUFFIX}"\n' });
  try {
    const r = runTscompose(['config', '--format', 'json'], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /The "SUFFIX" variable is not set\. Defaulting to a blank string\./);
    assert.equal(JSON.parse(r.stdout).services.web.image, 'nginx');
  } finally {
    dir.cleanup();
  }
});
