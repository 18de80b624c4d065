import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configOutput, loadFiles } from '../helpers/load.js';
import { firstMissing } from '../helpers/compare.js';
import { SuiteCounter } from '../helpers/conformance.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const LOADER_DIR = join(PEER_FIXTURES, 'compose-go/loader');
const EXPECTED = join(PEER_FIXTURES, 'compose-go/_extracted/loader/full-example.expected.yaml');

/**
 * Each top-level key of each service counts as one case, so progress on the big example is visible. The golden file
 * was made without normalization (upstream TestMarshalProject), so the names and the default network that
 * `docker compose config` adds are allowed on top of it: every expected value must be there, as expected.
 */
test('compose-go full example renders as its expected canonical model', () => {
  const counter = new SuiteCounter('full-example');
  const expectedText = readFileSync(EXPECTED, 'utf8').replaceAll('/__WORKDIR__', LOADER_DIR).replaceAll('/__HOME__', '/h');
  const expected = parse(expectedText) as Record<string, Record<string, unknown>>;
  let actual: Record<string, Record<string, unknown>>;
  try {
    const project = loadFiles([join(LOADER_DIR, 'full-example.yml')], { HOME: '/h', BAR: 'this is a secret', QUX: 'qux_from_environment' }, { checkConsistency: false });
    actual = configOutput(project) as typeof actual;
  } catch (e) {
    counter.fail('load', (e as Error).message);
    counter.report();
    return;
  }
  for (const [section, value] of Object.entries(expected)) {
    const entries = section === 'services' ? Object.entries(value).flatMap(([name, svc]) =>
      Object.entries(svc as Record<string, unknown>).map(([key, v]) => [`services.${name}.${key}`, v, (actual.services?.[name] as Record<string, unknown> | undefined)?.[key]] as const))
      : [[section, value, actual[section]] as const];
    for (const [name, want, got] of entries) {
      const diff = firstMissing(want, got);
      if (diff) counter.fail(name, diff);
      else counter.pass();
    }
  }
  counter.report();
});
