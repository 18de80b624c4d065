// `publish` against docker compose's own scenarios (TestPublish* in the peer fixtures), run as a user would,
// with --dry-run: the refusals, the prompts and their answers, and the exit codes (1 refused, 130 declined).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runTscompose } from '../helpers/cli.js';
import { fixtureDir } from '../helpers/fixture-dir.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const TESTDATA = join(PEER_FIXTURES, 'compose/pkg/e2e/testdata');
const skip = existsSync(TESTDATA) ? false : `peer fixtures not found at ${TESTDATA}`;

function publish(scenario: string, args: string[], input = '') {
  const r = runTscompose(['publish', 'test/test', ...args], { cwd: join(TESTDATA, scenario), input, env: { TSCOMPOSE_REGISTRY_ALLOW: 'loopback' } });
  return { ...r, output: r.stdout + r.stderr };
}

test('env_file: declined (empty stdin) aborts with 130; --with-env -y publishes', { skip }, () => {
  const declined = publish('TestPublishPromptEnvFile', ['--dry-run']);
  assert.equal(declined.code, 130, declined.output);
  assert.match(declined.output, /you are about to publish env-related declarations within your OCI artifact\./);
  assert.match(declined.output, /service "serviceA": env_file declared/);
  assert.match(declined.output, /Are you ok to publish these env declarations\?/);
  assert.doesNotMatch(declined.output, /test\/test published/);
  assert.doesNotMatch(declined.output, /serviceB/);
  const accepted = publish('TestPublishPromptEnvFile', ['--with-env', '-y', '--dry-run']);
  assert.equal(accepted.code, 0, accepted.output);
  assert.match(accepted.output, /test\/test publishing/);
  assert.match(accepted.output, /test\/test published/);
  assert.doesNotMatch(accepted.output, /Are you ok/);
});

test('"n" declines too', { skip }, () => {
  const r = publish('TestPublishPromptEnvFile', ['--dry-run'], 'n\n');
  assert.equal(r.code, 130, r.output);
});

test('suspicious literal: named in the prompt; --with-env -y publishes', { skip }, () => {
  const declined = publish('TestPublishPromptSuspiciousEnv', ['--dry-run']);
  assert.equal(declined.code, 130, declined.output);
  assert.match(declined.output, /service "serviceA": literal value for "MYSQL_ROOT_PASSWORD"/);
  const accepted = publish('TestPublishPromptSuspiciousEnv', ['--with-env', '-y', '--dry-run']);
  assert.equal(accepted.code, 0, accepted.output);
  assert.match(accepted.output, /test\/test published/);
});

test('interpolated values are not findings: no prompt at all, -y or not', { skip }, () => {
  for (const args of [['-y', '--dry-run'], ['--dry-run']]) {
    const r = publish('TestPublishInterpolatedEnv', args);
    assert.equal(r.code, 0, r.output);
    assert.doesNotMatch(r.output, /Are you ok/);
    assert.match(r.output, /test\/test publishing[\s\S]*test\/test published/);
  }
});

test('every env finding of every service is listed before the one prompt', { skip }, () => {
  const r = publish('TestPublishPromptAggregatesFindings', ['--dry-run']);
  assert.equal(r.code, 130, r.output);
  assert.match(r.output, /service "serviceB": env_file declared/);
  assert.match(r.output, /service "serviceA": literal value for "DB_PASSWORD"/);
  assert.match(r.output, /service "serviceB": literal value for "API_KEY"/);
  assert.match(r.output, /Use --with-env to silence this prompt/);
  assert.equal(r.output.match(/Are you ok/g)?.length, 1, r.output);
  assert.ok(r.output.indexOf('API_KEY') < r.output.indexOf('Are you ok'));
});

test('extends: publishes', { skip }, () => {
  const r = publish('TestPublishWithExtends', ['--dry-run']);
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /test\/test published/);
});

test('bind mount: declined aborts with 130, "y" publishes', { skip }, () => {
  const declined = publish('TestPublishBindMount', ['--dry-run']);
  assert.equal(declined.code, 130, declined.output);
  assert.match(declined.output, /you are about to publish bind mounts declaration within your OCI artifact\./);
  assert.match(declined.output, /:\/user-data/);
  assert.match(declined.output, /Are you ok to publish these bind mount declarations\?/);
  assert.doesNotMatch(declined.output, /test\/test published/);
  const accepted = publish('TestPublishBindMount', ['--dry-run'], 'y\n');
  assert.equal(accepted.code, 0, accepted.output);
  assert.match(accepted.output, /:\/user-data/);
  assert.match(accepted.output, /test\/test published/);
});

test('build-only services: refused with exit 1, naming them, even with -y', { skip }, () => {
  const r = publish('TestPublishBuildOnly', ['--with-env', '-y', '--dry-run']);
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, /your Compose stack cannot be published as it only contains a build section for service\(s\):/);
  assert.match(r.output, /"serviceA"/);
  assert.match(r.output, /"serviceB"/);
  assert.doesNotMatch(r.output, /publishing/);
});

test('local include: refused with exit 1', { skip }, () => {
  const r = publish('TestPublishLocalInclude', ['--dry-run']);
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, /cannot publish compose file with local includes/);
});

test('a bind mount and env findings: two questions, the first "no" stops', () => {
  const dir = fixtureDir({ 'compose.yaml': 'services:\n  a:\n    image: x\n    volumes: [".:/data:ro"]\n    environment: {TOKEN: abc}\n' });
  try {
    const run = (input: string, extra: string[] = []) =>
      runTscompose(['publish', 'test/test', '--dry-run', ...extra], { cwd: dir.path, input, env: { TSCOMPOSE_REGISTRY_ALLOW: 'loopback' } });
    const first = run('n\n');
    assert.equal(first.code, 130);
    assert.match(first.stdout, /:\/data:ro/);
    assert.doesNotMatch(first.stdout, /env declarations/);
    const second = run('y\n');
    assert.equal(second.code, 130, 'no answer left for the env question');
    assert.match(second.stdout, /literal value for "TOKEN"/);
    assert.equal(run('y\ny\n').code, 0);
    assert.equal(run('', ['-y']).code, 0);
  } finally {
    dir.cleanup();
  }
});

test('flags: a bad --oci-version and a digest target are refused; --app is ignored with a warning', () => {
  const dir = fixtureDir({ 'compose.yaml': 'services:\n  a:\n    image: x\n' });
  try {
    const run = (args: string[]) => runTscompose(['publish', ...args, '--dry-run'], { cwd: dir.path, env: { TSCOMPOSE_REGISTRY_ALLOW: 'loopback' } });
    const bad = run(['--oci-version', '2.0', 'test/test']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unsupported OCI version: 2\.0/);
    const digest = run([`test/test@sha256:${'a'.repeat(64)}`]);
    assert.equal(digest.code, 1);
    assert.match(digest.stderr, /give a tag/);
    const app = run(['--app', 'test/test']);
    assert.equal(app.code, 0, app.stderr);
    assert.match(app.stderr, /WARN\[0000\] --app is not supported/);
  } finally {
    dir.cleanup();
  }
});
