import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { toComposeYaml } from '../../src/compose/emit/text.js';
import { renderForConfig } from '../../src/compose/emit/index.js';
import { firstDifference } from '../helpers/compare.js';
import { SuiteCounter } from '../helpers/conformance.js';
import { filesBelow } from '../helpers/fixture-files.js';
import { configOutput, loadFiles } from '../helpers/load.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const TESTS = join(PEER_FIXTURES, 'compose-go/_extracted/loader/tests');

/** The 132 one-attribute models: `config` accepts each, and its output loads back to the same model. */
test('compose-go per-attribute models load and round-trip through config', () => {
  const counter = new SuiteCounter('attribute-models');
  const scratch = mkdtempSync(join(tmpdir(), 'tscompose-roundtrip-'));
  try {
    for (const file of filesBelow(TESTS, /\.ya?ml$/)) {
      const name = relative(TESTS, file);
      try {
        const project = loadFiles([file]);
        const first = configOutput(project);
        const again = join(scratch, basename(dirname(file)) + '-' + basename(file));
        writeFileSync(again, toComposeYaml(renderForConfig(project.model)));
        const second = configOutput(loadFiles([again], {}, { projectName: project.name, projectDirectory: dirname(file) }));
        const diff = firstDifference(first, second);
        if (diff) counter.fail(name, `round trip: ${diff}`);
        else counter.pass();
      } catch (e) {
        counter.fail(name, (e as Error).message);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  counter.report();
});
