// The model cache (compose/model-cache.ts): a cached project is the project a fresh load gives, and any change
// to what the load depended on (a file, a file appearing, the environment, the options) means a fresh load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadProject, type LoadedProject, type LoadOptions } from '../../src/compose/loader.js';
import { cachedProject, loadAndCache, type ModelCache } from '../../src/compose/model-cache.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

function setup(): { dir: string; cache: ModelCache; options: (extra?: Partial<LoadOptions>) => LoadOptions; warnings: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-model-cache-'));
  const warnings: string[] = [];
  const cache = { dir: join(dir, 'cache'), codeStamp: 'test' };
  const options = (extra: Partial<LoadOptions> = {}): LoadOptions => ({
    workingDir: join(dir, 'project'),
    files: [],
    envFiles: [],
    profiles: [],
    osEnv: { HOME: '/h' },
    interpolate: true,
    resolvePaths: true,
    readStdin: () => '',
    warn: (m) => warnings.push(m),
    ...extra,
  });
  return { dir, cache, options, warnings };
}

/** What a command gets: the cached project when there is one, else a load that is kept. */
function load(cache: ModelCache, options: LoadOptions): { project: LoadedProject; cached: boolean } {
  const hit = cachedProject(options, cache);
  return hit ? { project: hit, cached: true } : { project: loadAndCache(options, cache, loadProject), cached: false };
}

function sameProject(a: LoadedProject, b: LoadedProject): boolean {
  const { environment: ea, ...ra } = a;
  const { environment: eb, ...rb } = b;
  return isDeepStrictEqual(ra, rb) && isDeepStrictEqual(ea.values, eb.values) && ea.lookup('X') === eb.lookup('X');
}

test('the full example from compose-go comes back from the cache as a fresh load makes it', () => {
  const { dir, cache, options } = setup();
  try {
    const opts = options({ files: [join(PEER_FIXTURES, 'compose-go/loader/full-example.yml')], workingDir: join(PEER_FIXTURES, 'compose-go/loader'), osEnv: { HOME: '/h', X: '1' }, checkConsistency: false });
    const first = load(cache, opts);
    const second = load(cache, opts);
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.ok(sameProject(first.project, second.project));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an edited file, a new override file, another variable or other options mean a fresh load; warnings are replayed', () => {
  const { dir, cache, options, warnings } = setup();
  const project = join(dir, 'project');
  try {
    rmSync(project, { recursive: true, force: true });
    makeDir(project);
    const file = join(project, 'compose.yaml');
    writeFileSync(file, 'version: "3"\nservices:\n  web:\n    image: ${IMAGE:-busybox}\n');
    assert.equal(load(cache, options()).cached, false);
    const hit = load(cache, options());
    assert.equal(hit.cached, true);
    assert.equal(warnings.filter((w) => w.includes('`version` is obsolete')).length, 2, 'the warning is given again on a hit');

    writeFileSync(file, 'services:\n  web:\n    image: ${IMAGE:-alpine}\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const edited = load(cache, options());
    assert.equal(edited.cached, false);
    assert.equal((edited.project.model.services as Record<string, { image: string }>).web!.image, 'alpine');

    writeFileSync(join(project, 'compose.override.yaml'), 'services:\n  web:\n    command: ["true"]\n');
    const overridden = load(cache, options());
    assert.equal(overridden.cached, false);
    assert.deepEqual((overridden.project.model.services as Record<string, { command: string[] }>).web!.command, ['true']);

    writeFileSync(join(project, '.env'), 'IMAGE=from-dotenv\n');
    assert.equal((load(cache, options()).project.model.services as Record<string, { image: string }>).web!.image, 'from-dotenv');
    assert.equal(load(cache, options()).cached, true);
    const withVariable = load(cache, options({ osEnv: { HOME: '/h', IMAGE: 'from-env' } }));
    assert.equal(withVariable.cached, false);
    assert.equal((withVariable.project.model.services as Record<string, { image: string }>).web!.image, 'from-env');
    assert.equal(withVariable.project.environment.lookup('IMAGE'), 'from-env');
    assert.equal(load(cache, options({ projectName: 'other' })).cached, false);
    assert.equal(load(cache, options({ projectName: 'other' })).project.name, 'other');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the cache keeps a bounded number of entries', () => {
  const { dir, options } = setup();
  const cache = { dir: join(dir, 'cache'), codeStamp: 'test', maxEntries: 3 };
  try {
    makeDir(join(dir, 'project'));
    writeFileSync(join(dir, 'project', 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
    for (let i = 0; i < 6; i++) load(cache, options({ projectName: `p${i}` }));
    assert.equal(readdirSync(cache.dir).length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function makeDir(path: string): void {
  mkdirSync(path, { recursive: true });
}
