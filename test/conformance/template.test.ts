import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MissingRequiredError, substitute } from '../../src/compose/template.js';
import { SuiteCounter } from '../helpers/conformance.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

interface SubstituteCase {
  test: string;
  template: string;
  expected?: string;
  expectedErrorContains?: string;
  error?: string;
}

const FIXTURE = join(PEER_FIXTURES, 'compose-go/_extracted/template/substitute-cases.json');

test('compose-go template.Substitute cases', () => {
  const { mapping, cases } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
    mapping: Record<string, string>;
    cases: SubstituteCase[];
  };
  const lookup = (name: string): string | undefined => (Object.hasOwn(mapping, name) ? mapping[name] : undefined);
  const counter = new SuiteCounter('template');
  for (const c of cases) {
    const why = checkCase(c, lookup);
    if (why) counter.fail(`${c.test} ${JSON.stringify(c.template)}`, why);
    else counter.pass();
  }
  counter.report();
});

/** Why the case fails, or undefined when it passes. */
function checkCase(c: SubstituteCase, lookup: (name: string) => string | undefined): string | undefined {
  const wantsError = c.expectedErrorContains !== undefined || c.error !== undefined;
  let result: string;
  try {
    result = substitute(c.template, lookup);
  } catch (e) {
    if (!wantsError) return `unexpected error: ${(e as Error).message}`;
    if (c.error === 'MissingRequiredError' && !(e instanceof MissingRequiredError)) return `wrong error type: ${(e as Error).name}`;
    const message = (e as Error).message;
    if (c.expectedErrorContains && !message.includes(c.expectedErrorContains)) return `error ${JSON.stringify(message)}`;
    return undefined;
  }
  if (wantsError) return `expected an error, got ${JSON.stringify(result)}`;
  return result === c.expected ? undefined : `got ${JSON.stringify(result)}, want ${JSON.stringify(c.expected)}`;
}
