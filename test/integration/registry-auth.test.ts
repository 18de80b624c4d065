// Registries that need credentials: htpasswd (basic, bcrypt entries) and a token server (bearer JWTs), with
// `login` / `logout` writing the Docker config file the CLI sends credentials from.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startTokenServer, type TokenServer } from '../helpers/token-server.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (engine)') || registryMissing() || (spawnSync('htpasswd', ['-h']).error ? 'htpasswd not installed (apache2-utils)' : false);
const USER = { username: 'tester', password: 's3cret pass' };
let engine: TestEngine;
let work: string;

before(async () => {
  if (skip) return;
  engine = await startTestEngine('registry-auth');
  work = mkdtempSync(join(tmpdir(), 'tscompose-registry-auth-'));
  engine.env.DOCKER_CONFIG = join(work, 'docker-config');
});

after(async () => {
  if (skip) return;
  const leftovers = await engine.stop();
  rmSync(work, { recursive: true, force: true });
  assert.deepEqual(leftovers, []);
});

function cli(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  return engine.cli(args, { timeoutMs: 120_000, ...(input === undefined ? {} : { input }) });
}

/** Login, push, forget the image, fail to pull without credentials, pull with them, logout. */
function exerciseRegistry(host: string, repo: string): void {
  const name = `${host}/${repo}:1`;
  assert.equal(cli(['image', 'tag', TEST_IMAGE, name]).code, 0);

  const anonymousPush = cli(['image', 'push', name]);
  assert.notEqual(anonymousPush.code, 0, 'a push without credentials must fail');
  assert.match(anonymousPush.stderr, /unauthorized: authentication required|denied/);

  const badLogin = cli(['login', '-u', USER.username, '--password-stdin', host], 'wrong\n');
  assert.notEqual(badLogin.code, 0);
  assert.match(badLogin.stderr, /unauthorized/);
  assert.ok(!existsSync(join(work, 'docker-config', 'config.json')) || !readFileSync(join(work, 'docker-config', 'config.json'), 'utf8').includes(host));

  const login = cli(['login', '-u', USER.username, '--password-stdin', host], `${USER.password}\n`);
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Login Succeeded/);
  const config = JSON.parse(readFileSync(join(work, 'docker-config', 'config.json'), 'utf8'));
  assert.equal(Buffer.from(config.auths[host].auth, 'base64').toString(), `${USER.username}:${USER.password}`);

  const pushed = cli(['image', 'push', name]);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.equal(cli(['image', 'rm', name]).code, 0);

  const logout = cli(['logout', host]);
  assert.equal(logout.code, 0);
  assert.match(logout.stdout, new RegExp(`Removing login credentials for ${host}`));
  const denied = cli(['image', 'pull', name]);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, new RegExp(`pull access denied for ${host.replace(/\./g, '\\.')}/${repo}, repository does not exist or may require 'docker login'`));

  assert.equal(cli(['login', '-u', USER.username, '-p', USER.password, host]).code, 0);
  const pulled = cli(['image', 'pull', name]);
  assert.equal(pulled.code, 0, pulled.stderr);
  const run = cli(['container', 'run', '--rm', name, 'true']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(cli(['logout', host]).code, 0);
}

describe('htpasswd (basic auth)', { skip }, () => {
  let registry: TestRegistry;
  before(async () => {
    const htpasswd = join(work, 'htpasswd');
    writeFileSync(htpasswd, execFileSync('htpasswd', ['-Bbn', USER.username, USER.password]));
    registry = await startRegistry({ auth: { htpasswd } });
  });
  after(() => registry.stop());
  test('pull and push with credentials, clear failures without', () => exerciseRegistry(registry.host, 'basic/busybox'));
});

describe('token server (bearer auth)', { skip }, () => {
  let registry: TestRegistry;
  let tokens: TokenServer;
  before(async () => {
    tokens = await startTokenServer(USER);
    registry = await startRegistry({ auth: tokens.auth });
  });
  after(async () => {
    await registry.stop();
    await tokens.stop();
  });
  test('pull and push with credentials, clear failures without', () => {
    exerciseRegistry(registry.host, 'bearer/busybox');
    assert.ok(tokens.requests.some((url) => url.includes('scope=repository%3Abearer%2Fbusybox%3Apull%2Cpush')), tokens.requests.join('\n'));
  });
});
