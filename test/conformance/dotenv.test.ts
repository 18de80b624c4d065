import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDotEnv } from '../../src/compose/dotenv.js';
import { SuiteCounter } from '../helpers/conformance.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const DOTENV = join(PEER_FIXTURES, 'compose-go/dotenv/fixtures');
const EXTRACTED = join(PEER_FIXTURES, 'compose-go/_extracted/dotenv');

type Env = Record<string, string>;
const lookupIn = (env: Env) => (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined);
const noLookup = (): undefined => undefined;

interface ParseCase {
  test: string;
  input: string;
  key?: string;
  value?: string;
  expectedMap?: Env;
}

test('compose-go dotenv parse cases (TestParsing, TestExpanding)', () => {
  const cases = JSON.parse(readFileSync(join(EXTRACTED, 'parse-cases.json'), 'utf8')) as ParseCase[];
  const counter = new SuiteCounter('dotenv-parse');
  for (const c of cases) {
    const name = `${c.test} ${JSON.stringify(c.input)}`;
    try {
      const expected: Env = c.expectedMap ?? { [c.key!]: c.value! };
      const why = firstDifference(Object.fromEntries(parseDotEnv(c.input, noLookup)), expected, false);
      if (why) counter.fail(name, why);
      else counter.pass();
    } catch (e) {
      counter.fail(name, (e as Error).message);
    }
  }
  counter.report();
});

/**
 * How each upstream test read its fixture. `load`: godotenv.Load into an environment holding `env`
 * (existing variables are not overridden); `read`: godotenv.Read (keys starting with a digit dropped);
 * `lookup`: ReadWithLookup against an OS environment holding `env`.
 */
const INHERITED = { VAR_TO_BE_LOADED_FROM_OS_ENV: 'SOME_RANDOM_VALUE' };
const HOW_READ: Record<string, { mode: 'load' | 'read' | 'lookup'; env?: Env }> = {
  TestReadPlainEnv: { mode: 'read' },
  TestInheritedEnvVariableSameSize: { mode: 'lookup', env: INHERITED },
  TestInheritedEnvVariableSingleVar: { mode: 'lookup', env: INHERITED },
  TestSubstitutionsWithEnvFilePrecedence: { mode: 'lookup', env: { OPTION_A: '5' } },
  TestSubstitutionsWithEnvFileDefaultValuePrecedence: { mode: 'lookup', env: { OPTION_A: '5' } },
  TestSubstitutionsWithUnsetVarEnvFileDefaultValuePrecedence: { mode: 'lookup', env: {} },
};

interface FixtureCase {
  test: string;
  presetEnv: Env;
  expected: Env;
  exactKeys: boolean;
}

test('compose-go dotenv fixture files', () => {
  const counter = new SuiteCounter('dotenv-fixtures');
  for (const expectedFile of readdirSync(join(EXTRACTED, 'fixtures')).sort()) {
    const fixture = expectedFile.replace(/\.expected\.json$/, '');
    const text = readFileSync(join(DOTENV, fixture), 'utf8');
    const cases = JSON.parse(readFileSync(join(EXTRACTED, 'fixtures', expectedFile), 'utf8')) as FixtureCase[];
    for (const c of cases) {
      try {
        const why = firstDifference(readAsUpstream(c, text), withPlaceholders(c.expected), c.exactKeys);
        if (why) counter.fail(`${fixture} ${c.test}`, why);
        else counter.pass();
      } catch (e) {
        counter.fail(`${fixture} ${c.test}`, (e as Error).message);
      }
    }
  }
  counter.report();
});

function readAsUpstream(c: FixtureCase, text: string): Env {
  const how = HOW_READ[c.test] ?? { mode: 'load' };
  if (how.mode === 'lookup') return Object.fromEntries(parseDotEnv(text, lookupIn(how.env ?? {})));
  const parsed = Object.fromEntries(parseDotEnv(text, noLookup));
  if (how.mode === 'read') return Object.fromEntries(Object.entries(parsed).filter(([k]) => !/^\s*\d/.test(k)));
  return { ...parsed, ...c.presetEnv };
}

/** The extractor left `<expr:envKey>`/`<expr:envVal>` where the Go test used its constants. */
function withPlaceholders(expected: Env): Env {
  const [key, value] = Object.entries(INHERITED)[0]!;
  const swap = (s: string): string => s.replace('<expr:envKey>', key).replace('<expr:envVal>', value);
  return Object.fromEntries(Object.entries(expected).map(([k, v]) => [swap(k), swap(v)]));
}

function firstDifference(actual: Env, expected: Env, exactKeys: boolean): string | undefined {
  for (const [key, value] of Object.entries(expected)) {
    if (actual[key] !== value) return `${key}: got ${JSON.stringify(actual[key])}, want ${JSON.stringify(value)}`;
  }
  const extra = Object.keys(actual).filter((k) => !Object.hasOwn(expected, k));
  return exactKeys && extra.length > 0 ? `unexpected keys ${extra.join(', ')}` : undefined;
}
