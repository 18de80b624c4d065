import { test } from 'node:test';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Dict } from '../../src/compose/types.js';
import { configOutput, loadFiles } from '../helpers/load.js';
import { SuiteCounter } from '../helpers/conformance.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const DIR = join(PEER_FIXTURES, 'compose-go/loader/testdata');

/** What upstream's loader tests assert for each testdata project: an error (by substring) or a check on the model. */
interface Expectation {
  files: string[];
  env?: NodeJS.ProcessEnv;
  error?: string;
  check?: (model: Dict) => unknown; // returns the observed value, compared with `want`
  want?: unknown;
  projectName?: string;
}

const svc = (m: Dict, name: string): Dict => ((m.services as Dict)[name] ?? {}) as Dict;

const CASES: Record<string, Expectation> = {
  'depends_on cycle': { files: ['compose-depends-on-cycle.yaml'], error: 'dependency cycle detected: service1 -> service2 -> service3 -> service1' },
  'depends_on self': { files: ['compose-depends-on-self.yaml'], error: 'dependency cycle detected: service1 -> service1' },
  'include cycle': { files: ['compose-include-cycle.yaml'], error: 'include cycle detected' },
  'empty file': { files: ['empty.yaml'], projectName: 'empty', check: (m) => Object.keys((m.services as Dict | undefined) ?? {}).length, want: 0 },
  'extends from another file, paths relative to it': {
    files: ['compose-test-extends.yaml'],
    check: (m) => [svc(m, 'importer').image, svc(m, 'importer').container_name, (svc(m, 'importer').env_file as Dict[])[0]?.path],
    want: ['nginx', 'imported', join(DIR, 'subdir/extra.env')],
  },
  'extends with interpolation from the extended file': {
    files: ['compose-test-extends.yaml'],
    env: { SOURCE: 'from_env' },
    check: (m) => svc(m, 'importer').container_name,
    want: 'from_env',
  },
  'extends in the same file (string form)': { files: ['extends/base.yaml'], projectName: 'base', check: (m) => svc(m, 'another').image, want: 'base' },
  'extends chain across folders': { files: ['extends/withdir/compose.yaml'], projectName: 'withdir', check: (m) => svc(m, 'test').image, want: 'hello-world' },
  'extends of a sibling build, context relative to the sibling': {
    files: ['extends/nested.yaml'],
    projectName: 'nested',
    check: (m) => (svc(m, 'with-build').build as Dict).context,
    want: join(DIR, 'extends'),
  },
  'extends with !reset': { files: ['extends/reset.yaml'], projectName: 'reset', check: (m) => svc(m, 'base').command, want: undefined },
  'extends keeps depends_on': { files: ['extends/depends_on.yaml'], projectName: 'deps', check: (m) => Object.keys(svc(m, 'with_depends_on').depends_on as Dict), want: ['zot'] },
  'include: relative paths resolved in the included folder': {
    files: ['include/compose.yaml'],
    projectName: 'include',
    check: (m) => (svc(m, 'included').build as Dict).context,
    want: join(DIR, 'include'),
  },
  'include with project_directory': {
    files: ['include/project-directory.yaml'],
    projectName: 'include',
    check: (m) => (svc(m, 'service').env_file as Dict[])[0]?.path,
    want: join(DIR, 'subdir/extra.env'),
  },
  'include next to own services': { files: ['compose-include.yaml'], projectName: 'inc', check: (m) => Object.keys(m.services as Dict).sort(), want: ['bar', 'imported'] },
  'include + extends combined': { files: ['combined/compose.yaml'], projectName: 'combined', check: (m) => (svc(m, 'service').build as Dict).context, want: join(DIR, 'combined/dir') },
  'version attribute is ignored': { files: ['compose-test-with-version.yaml'], projectName: 'v' },
};

test('compose-go loader testdata: cycles, errors, extends and include behave as upstream expects', () => {
  const counter = new SuiteCounter('loader-testdata');
  for (const [name, c] of Object.entries(CASES)) {
    let outcome: string | undefined;
    try {
      const project = loadFiles(c.files.map((f) => join(DIR, f)), c.env, c.projectName ? { projectName: c.projectName } : {});
      const model = configOutput(project);
      if (c.error) outcome = `expected error "${c.error}", loaded fine`;
      else if (c.check) {
        const got = c.check(model);
        if (!isDeepStrictEqual(got, c.want)) outcome = `got ${JSON.stringify(got)}, want ${JSON.stringify(c.want)}`;
      }
    } catch (e) {
      const message = (e as Error).message;
      if (!c.error || !message.includes(c.error)) outcome = `error: ${message}`;
    }
    if (outcome) counter.fail(name, outcome);
    else counter.pass();
  }
  counter.report();
});
