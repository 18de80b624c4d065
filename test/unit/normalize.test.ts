import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { normalizeProject, type NormalizeContext } from '../../src/compose/normalize/index.js';
import { resolveRelativePaths } from '../../src/compose/normalize/resolve-paths.js';
import type { Dict } from '../../src/compose/types.js';

function ctx(overrides: Partial<NormalizeContext> = {}, env: Record<string, string> = {}): NormalizeContext {
  return { projectName: 'proj', workingDir: '/wd', lookup: (n) => env[n], homeDir: '/home/me', resolvePaths: true, warn: () => {}, ...overrides };
}
const services = (m: Dict) => m.services as Record<string, any>;

test('name is set and the default network exists only when used', () => {
  const m = normalizeProject({ services: { a: { image: 'x' }, b: { image: 'x', network_mode: 'host' } } }, ctx());
  assert.equal(m.name, 'proj');
  assert.deepEqual(services(m).a.networks, { default: null });
  assert.equal(services(m).b.networks, undefined);
  assert.deepEqual(m.networks, { default: { name: 'proj_default' } });

  const none = normalizeProject({ services: { b: { image: 'x', network_mode: 'none' } } }, ctx());
  assert.equal(none.networks, undefined);
});

test('resource names: explicit, external, external.name (deprecated), project-prefixed', () => {
  const warnings: string[] = [];
  const m = normalizeProject(
    {
      services: {},
      networks: { front: null, ext: { external: true }, named: { name: 'custom' } },
      volumes: { data: {}, old: { external: { name: 'legacy' } } },
      secrets: { s: { file: './s' } },
      configs: { c: { external: true } },
    },
    ctx({ warn: (w) => warnings.push(w) }),
  );
  assert.deepEqual(m.networks, { front: { name: 'proj_front' }, ext: { external: true, name: 'ext' }, named: { name: 'custom' } });
  assert.deepEqual(m.volumes, { data: { name: 'proj_data' }, old: { external: true, name: 'legacy' } });
  assert.deepEqual(m.secrets, { s: { file: '/wd/s', name: 'proj_s' } });
  assert.deepEqual(m.configs, { c: { external: true, name: 'c' } });
  assert.equal(warnings.length, 1);
  assert.throws(
    () => normalizeProject({ services: {}, volumes: { v: { name: 'a', external: { name: 'b' } } } }, ctx()),
    UserError,
  );
});

test('depends_on: defaults for explicit entries, implicit ones from links, namespaces and volumes_from', () => {
  const m = normalizeProject(
    {
      services: {
        web: {
          depends_on: { db: { condition: 'service_healthy' } },
          links: ['cache:c', 'db'],
          network_mode: 'service:net',
          ipc: 'service:db',
          volumes_from: ['vol:ro', 'container:abc'],
        },
      },
    },
    ctx(),
  );
  assert.deepEqual(services(m).web.depends_on, {
    db: { condition: 'service_healthy', required: true },
    cache: { condition: 'service_started', restart: true, required: true },
    net: { condition: 'service_started', restart: true, required: true },
    vol: { condition: 'service_started', restart: false, required: true },
  });
});

test('build defaults, pull_policy alias, scale vs replicas', () => {
  const m = normalizeProject(
    {
      services: {
        a: { build: {}, pull_policy: 'if_not_present', scale: 3, deploy: {} },
        b: { build: { context: 'sub', dockerfile_inline: 'FROM x' } },
      },
    },
    ctx(),
  );
  assert.deepEqual(services(m).a.build, { context: '/wd', dockerfile: 'Dockerfile' });
  assert.equal(services(m).a.pull_policy, 'missing');
  assert.equal(services(m).a.deploy.replicas, 3);
  assert.deepEqual(services(m).b.build, { context: '/wd/sub', dockerfile_inline: 'FROM x' });
  assert.throws(() => normalizeProject({ services: { a: { scale: 2, deploy: { replicas: 3 } } } }, ctx()), UserError);
});

test('relative paths: contexts, bind sources, ~, named volumes and remote contexts untouched', () => {
  const m = resolveRelativePaths(
    {
      services: {
        s: {
          build: { context: 'https://github.com/x/y.git', additional_contexts: { a: './a', img: 'docker-image://alpine', svc: 'service:b' } },
          volumes: [
            { type: 'bind', source: '.', target: '/code' },
            { type: 'bind', source: '~/cfg', target: '/cfg' },
            { type: 'volume', source: 'data', target: '/data' },
          ],
          env_file: [{ path: './.env', required: true }],
          label_file: ['./l'],
          extends: { file: '../base.yml', service: 'b' },
        },
      },
      configs: { c: { file: '~/c' } },
      volumes: { dev: { driver: 'local', driver_opts: { o: 'bind', device: './d', type: 'none' } } },
    },
    '/proj',
    '/home/me',
  );
  const s = services(m).s;
  assert.equal(s.build.context, 'https://github.com/x/y.git');
  assert.deepEqual(s.build.additional_contexts, { a: '/proj/a', img: 'docker-image://alpine', svc: 'service:b' });
  assert.deepEqual(
    s.volumes.map((v: Dict) => v.source),
    ['/proj', '/home/me/cfg', 'data'],
  );
  assert.equal(s.env_file[0].path, '/proj/.env');
  assert.deepEqual(s.label_file, ['/proj/l']);
  assert.equal(s.extends.file, '/base.yml');
  assert.equal((m.configs as any).c.file, '/home/me/c');
  assert.equal((m.volumes as any).dev.driver_opts.device, '/proj/d');
});

test('resolvePaths false leaves paths as written', () => {
  const m = normalizeProject({ services: { s: { build: { context: 'sub' } } } }, ctx({ resolvePaths: false }));
  assert.equal(services(m).s.build.context, 'sub');
});

test('environment: bare keys take the variable (or stay null); build args without value are dropped when unset', () => {
  const m = normalizeProject(
    { services: { s: { environment: { SET: null, UNSET: null, V: 'v' }, build: { context: '.', args: { SET: null, GONE: null, K: 'k' } } } } },
    ctx({}, { SET: 'from-env' }),
  );
  assert.deepEqual(services(m).s.environment, { SET: 'from-env', UNSET: null, V: 'v' });
  assert.deepEqual(services(m).s.build.args, { SET: 'from-env', K: 'k' });
});

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-normalize-'));
  tempDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('env_file: later files win, environment wins over files, optional missing files are skipped', () => {
  const dir = tempProject({ 'a.env': 'A=1\nB=1\nC=${FROM_ENV}\n', 'b.env': 'B=2\nD=2\n' });
  const m = normalizeProject(
    {
      services: {
        s: {
          environment: { D: 'mine' },
          env_file: [
            { path: './a.env', required: true },
            { path: './b.env', required: true },
            { path: './missing.env', required: false },
          ],
        },
      },
    },
    ctx({ workingDir: dir }, { FROM_ENV: 'x' }),
  );
  assert.deepEqual(services(m).s.environment, { A: '1', B: '2', C: 'x', D: 'mine' });
  assert.deepEqual(
    services(m).s.env_file.map((e: Dict) => e.path),
    [join(dir, 'a.env'), join(dir, 'b.env'), join(dir, 'missing.env')],
  );
});

test('a missing required env_file is a user error naming it', () => {
  const dir = tempProject({});
  assert.throws(
    () => normalizeProject({ services: { s: { env_file: [{ path: 'nope.env', required: true }] } } }, ctx({ workingDir: dir })),
    (e: unknown) => e instanceof UserError && e.message.includes(join(dir, 'nope.env')),
  );
});

test('label_file contents go under labels; labels win', () => {
  const dir = tempProject({ 'l1': 'A=1\nB=1\n', 'l2': 'B=2\n' });
  const m = normalizeProject({ services: { s: { labels: { A: 'mine' }, label_file: ['l1', 'l2'] } } }, ctx({ workingDir: dir }));
  assert.deepEqual(services(m).s.labels, { B: '2', A: 'mine' });
});

test('the input model is not modified', () => {
  const input: Dict = { services: { s: { build: {} } } };
  normalizeProject(input, ctx());
  assert.deepEqual(input, { services: { s: { build: {} } } });
});
