import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTscompose } from '../helpers/cli.js';
import { fixtureDir } from '../helpers/fixture-dir.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** Each bad input: one line naming file:line:column where it comes from a file, exit code 1, no stack trace. */
const BAD_INPUTS: Array<{ name: string; compose: string; expect: RegExp; env?: NodeJS.ProcessEnv }> = [
  { name: 'YAML syntax error', compose: 'services:\n  web:\n    image: [a\n', expect: /compose\.yaml:\d+:\d+: yaml: / },
  { name: 'unknown key', compose: 'services:\n  web:\n    image: a\n    imagee: b\n', expect: /compose\.yaml:4:5: services\.web.*imagee/ },
  { name: 'wrong type', compose: 'services:\n  web:\n    image: a\n    privileged: [x]\n', expect: /compose\.yaml:4:5: services\.web\.privileged/ },
  { name: 'missing required variable', compose: 'services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n', expect: /compose\.yaml:3:5: .*required variable IMAGE is missing a value: set IMAGE/ },
  { name: 'unknown dependency', compose: 'services:\n  web:\n    image: a\n    depends_on: [db]\n', expect: /service "web" depends on undefined service "db"/ },
  { name: 'dependency cycle', compose: 'services:\n  a:\n    image: a\n    depends_on: [b]\n  b:\n    image: b\n    depends_on: [a]\n', expect: /dependency cycle detected: a -> b -> a/ },
];

for (const bad of BAD_INPUTS) {
  test(`config: ${bad.name} gives one clear line and exit 1`, () => {
    const dir = fixtureDir({ 'compose.yaml': bad.compose });
    try {
      const r = runTscompose(['config'], { cwd: dir.path, env: bad.env });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, bad.expect);
      assert.equal(r.stderr.trim().split('\n').length, 1, `more than one line:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace without --debug');
    } finally {
      dir.cleanup();
    }
  });
}

test('--debug adds the stack trace', () => {
  const dir = fixtureDir({ 'compose.yaml': 'services:\n  web:\n    imagee: a\n' });
  try {
    const r = runTscompose(['--debug', 'config'], { cwd: dir.path });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\n\s+at /);
  } finally {
    dir.cleanup();
  }
});

test('no compose file: a clear error', () => {
  const dir = fixtureDir({ 'README': 'x' });
  try {
    const r = runTscompose(['config'], { cwd: dir.path });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no configuration file provided/);
  } finally {
    dir.cleanup();
  }
});

test('invalid explicit project name is refused, a folder name is normalized', () => {
  const dir = fixtureDir({ 'My Project/compose.yaml': 'services:\n  web:\n    image: a\n' });
  try {
    const bad = runTscompose(['-p', 'Bad Name', 'config'], { cwd: dir.file('My Project') });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid project name "Bad Name"/);
    const ok = runTscompose(['config', '--format', 'json'], { cwd: dir.file('My Project') });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).name, 'myproject');
  } finally {
    dir.cleanup();
  }
});

test('--version and -v print what `version` prints, exit 0', () => {
  const version = runTscompose(['version'], { cwd: REPO_ROOT });
  assert.equal(version.code, 0, version.stderr);
  for (const flag of ['--version', '-v']) {
    const r = runTscompose([flag], { cwd: REPO_ROOT });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, version.stdout);
  }
});
