import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { canonicalize } from '../../src/compose/canonical/index.js';
import { mergeFiles } from '../../src/compose/merge/index.js';
import { normalizeProject } from '../../src/compose/normalize/index.js';
import { parseComposeText } from '../../src/compose/parse.js';
import type { Dict } from '../../src/compose/types.js';
import { firstMissing } from '../helpers/compare.js';
import { SuiteCounter } from '../helpers/conformance.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const CASES = join(PEER_FIXTURES, 'compose-go/_extracted/loader/normalize');

/**
 * Upstream runs these through its Normalize function alone (names such as "myProject" never pass the project-name
 * check, and paths stay relative), so this runs our phases up to normalize the same way and compares the normalized
 * model with the expected one in canonical form.
 */
function normalizeOnly(file: string, env: Record<string, string>): Dict {
  const parsed = parseComposeText(readFileSync(file, 'utf8'), file);
  const merged = mergeFiles([canonicalize(parsed.data)]);
  const normalized = normalizeProject(merged, {
    projectName: String(merged.name),
    workingDir: join(file, '..'),
    lookup: (name) => env[name],
    homeDir: '/h',
    resolvePaths: false,
    warn: () => {},
  });
  return normalized;
}

/** The variables upstream's test sets for a case. */
const CASE_ENV: Record<string, Record<string, string>> = {
  TestNormalizeEnvironment: { BAR: 'bar' },
  TestNormalizeNetworkNames: { FOO: 'BAR' },
};

test('compose-go normalization cases: our normalized model contains the expected one', () => {
  const counter = new SuiteCounter('normalize');
  for (const name of readdirSync(CASES).sort()) {
    const dir = join(CASES, name);
    try {
      const expected = canonicalize(parse(readFileSync(join(dir, 'expected.yaml'), 'utf8')) as Dict);
      const miss = firstMissing(expected, normalizeOnly(join(dir, 'input.yaml'), CASE_ENV[name] ?? {}));
      if (miss) counter.fail(name, miss);
      else counter.pass();
    } catch (e) {
      counter.fail(name, (e as Error).message);
    }
  }
  counter.report();
});
