import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDotEnv, parseEnvText, parseRawEnv } from '../../src/compose/dotenv.js';
import { UserError } from '../../src/errors.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const FIXTURES = join(PEER_FIXTURES, 'compose-go/dotenv/fixtures');
const none = (): undefined => undefined;
const lookupIn = (env: Record<string, string>) => (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined);
const parse = (text: string, env: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(parseDotEnv(text, lookupIn(env)));

test('keys keep file order; later assignments replace earlier ones', () => {
  assert.deepEqual([...parseDotEnv('B=1\nA=2\nB=3\n', none)], [
    ['B', '3'],
    ['A', '2'],
  ]);
});

test('keys may hold dots, dashes and brackets (compose-go TestDash)', () => {
  assert.deepEqual(parse(readFileSync(join(FIXTURES, 'special.env'), 'utf8')), {
    'VAR.WITH.DOTS': 'dots',
    VAR_WITH_UNDERSCORES: 'underscores',
    'VAR-WITH-DASHES': 'dashes',
  });
});

test('a key with a space is an error on its line (compose-go TestErrorParsing)', () => {
  const text = readFileSync(join(FIXTURES, 'invalid1.env'), 'utf8');
  assert.throws(() => parseDotEnv(text, none), { message: 'line 7: key cannot contain a space' });
  assert.throws(() => parseDotEnv(text, none, { file: '/p/.env' }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.describe(), '/p/.env:7: key cannot contain a space');
    return true;
  });
});

test('unterminated quotes are errors (compose-go TestUnterminatedQuotes)', () => {
  for (const text of ['KEY="', 'KEY="value', 'KEY="value\\"', `KEY="value'`, "KEY='", "KEY='value", "KEY='value\\'", `KEY='value"`]) {
    assert.throws(() => parseDotEnv(text, none), { message: /unterminated quoted value/ }, text);
  }
});

test('a bad character in a key is an error naming it', () => {
  assert.throws(() => parseDotEnv('A=1\nlol$wut', none), { message: 'line 2: unexpected character "$" in variable name "lol$wut"' });
});

test('blank lines, CRLF line ends and indented comments are skipped', () => {
  assert.deepEqual(parse('\r\n\t\t \n\t # comment\r\nA=1\r\nB="2"\r\nC\r\n', { C: 'c' }), { A: '1', B: '2', C: 'c' });
});

test('a bare key takes the lookup value, or is left out (compose-go TestInheritedEnvVariableNotFound)', () => {
  assert.deepEqual(parse('VARIABLE_NOT_FOUND\n'), {});
  assert.deepEqual(parse('FOUND', { FOUND: 'yes' }), { FOUND: 'yes' });
});

test('expansion asks the lookup before the file own earlier keys; the file still sets its own keys', () => {
  assert.deepEqual(parse('TEST=$ME', { ME: 'YES' }), { TEST: 'YES' });
  assert.deepEqual(parse('A=1\nB=${A}', { A: '5' }), { A: '1', B: '5' });
});

test('multi-line quoted values count lines for later errors', () => {
  const text = 'A="one\ntwo"\nB=\'x\ny\'\nBAD KEY\n';
  assert.throws(() => parseDotEnv(text, none), { message: 'line 5: key cannot contain a space' });
});

test('a template error in a value names the line', () => {
  assert.throws(() => parseDotEnv('\nA=${B:?needed}', none), { message: 'line 2: required variable B is missing a value: needed' });
});

test('a last line without a newline or `=` inherits like any bare key', () => {
  assert.deepEqual(parse('A=1\nB', { B: 'b' }), { A: '1', B: 'b' });
});

test('raw format keeps values verbatim and reads bare keys from the lookup', () => {
  const text = '\ufeffTEST_VAR=\'{"key": "value"}\'\n# comment\n  SPACED=a b  \nFROM_ENV\nMISSING\n';
  assert.deepEqual(Object.fromEntries(parseRawEnv(text, lookupIn({ FROM_ENV: 'e' }))), {
    TEST_VAR: '\'{"key": "value"}\'',
    SPACED: 'a b  ',
    FROM_ENV: 'e',
  });
  assert.throws(() => parseRawEnv('=x', none), { message: "line 1: no variable name on line '=x'" });
  assert.throws(() => parseRawEnv('A B=x', none), { message: "line 1: variable 'A B' contains whitespaces" });
});

test('parseEnvText picks the parser by format', () => {
  assert.deepEqual(Object.fromEntries(parseEnvText("A='x'", none, { format: 'raw' })), { A: "'x'" });
  assert.deepEqual(Object.fromEntries(parseEnvText("A='x'", none)), { A: 'x' });
  assert.throws(() => parseEnvText('A=1', none, { format: 'toml', file: 'f.env' }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.describe(), 'f.env: unsupported env_file format "toml"');
    return true;
  });
});
