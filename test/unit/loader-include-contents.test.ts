import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject } from '../../src/compose/loader.js';
import { fixtureDir } from '../helpers/fixture-dir.js';

/** An included project's `environment:` secrets and configs take their values from that include's env_file. */
test("include env_file: the included project's environment secrets and configs are resolved from it", () => {
  const dir = fixtureDir({
    'compose.yaml': [
      'include:',
      '  - path: child/compose.yaml',
      '    env_file: [secret.env]',
      'services:',
      '  foo: {image: alpine, secrets: [root-secret]}',
      'secrets:',
      '  root-secret: {environment: ROOT_SECRET}',
    ].join('\n'),
    'secret.env': "MY_SECRET='this-is-secret'\nMY_CONFIG=from-file\n",
    'child/compose.yaml': [
      'services:',
      '  included: {image: alpine, secrets: [my-secret], configs: [my-config]}',
      'secrets:',
      '  my-secret: {environment: MY_SECRET}',
      'configs:',
      '  my-config: {environment: MY_CONFIG}',
      '  unset-config: {environment: NOT_SET_ANYWHERE}',
    ].join('\n'),
  });
  try {
    const project = loadProject({
      workingDir: dir.path,
      files: [],
      envFiles: [],
      profiles: [],
      osEnv: { HOME: '/h', ROOT_SECRET: 'from-shell', MY_CONFIG: 'from-shell' },
      interpolate: true,
      resolvePaths: true,
      readStdin: () => '',
      warn: () => undefined,
    });
    // The including project's environment (here the shell) wins over the include's env_file, as in compose-go; the
    // root project's own secrets are looked up when a container is created.
    assert.deepEqual(project.includedContents, { 'secrets/my-secret': 'this-is-secret', 'configs/my-config': 'from-shell' });
    assert.equal(project.environment.lookup('MY_SECRET'), undefined, "the include's env_file stays out of the project's environment");
  } finally {
    dir.cleanup();
  }
});
