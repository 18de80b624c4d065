import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { renderForConfig } from '../../src/compose/emit/index.js';
import { SuiteCounter } from '../helpers/conformance.js';
import { filesBelow } from '../helpers/fixture-files.js';
import { loadFiles } from '../helpers/load.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
// ajv is CommonJS; its 2020-12 build is what compose-go's schema ($defs, draft 2020-12) needs.
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as (ajv: InstanceType<typeof Ajv2020>) => void;

/** Every model `config` accepts must validate against compose-go's schema, as `docker compose config` output does. */
test('config output validates against compose-go schema/compose-spec.json', () => {
  const counter = new SuiteCounter('output-schema');
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(join(PEER_FIXTURES, 'compose-go/schema/compose-spec.json'), 'utf8')) as object;
  const validate = ajv.compile(schema);
  const inputs = [
    join(PEER_FIXTURES, 'compose-go/loader/full-example.yml'),
    ...filesBelow(join(PEER_FIXTURES, 'compose-go/_extracted/loader/tests'), /\.ya?ml$/),
    ...filesBelow(join(PEER_FIXTURES, 'compose/pkg/e2e'), /^(docker-)?compose[\w.-]*\.ya?ml$/),
  ];
  for (const file of inputs) {
    const name = relative(PEER_FIXTURES, file);
    let output: unknown;
    try {
      const project = loadFiles([file], { BAR: 'this is a secret', QUX: 'qux' }, { projectName: 'schema' });
      output = JSON.parse(JSON.stringify(renderForConfig(project.model)));
    } catch {
      continue; // not accepted by config: nothing to validate (counted by the attribute-models suite)
    }
    if (validate(output)) counter.pass();
    else counter.fail(name, ajv.errorsText(validate.errors));
  }
  counter.report();
});
