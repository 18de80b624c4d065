import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidTemplateError, MissingRequiredError, substitute, variablesOf } from '../../src/compose/template.js';

const env: Record<string, string> = { FOO: 'bar', USER: 'jenny', EMPTY: '' };
const lookup = (name: string): string | undefined => (Object.hasOwn(env, name) ? env[name] : undefined);
const none = (): undefined => undefined;

test('a lone $ and text without variables stay as written', () => {
  for (const text of ['a $ string', '^REGEX$', '$}', '$', '$1', 'plain', '']) assert.equal(substitute(text, lookup), text);
});

test('$$ is a literal dollar, also before a brace', () => {
  assert.equal(substitute('$${FOO} $$FOO', lookup), '${FOO} $FOO');
});

test('malformed braces are invalid templates naming the whole value', () => {
  for (const text of ['${', '${}', '${ }', '${ foo}', '${foo }', '${foo!}', 'x ${FOO', '${FOO:x}']) {
    assert.throws(() => substitute(text, lookup), (e: unknown) => {
      assert.ok(e instanceof InvalidTemplateError, text);
      assert.equal(e.template, text);
      assert.match(e.message, /^Invalid template: /);
      return true;
    });
  }
});

test('nested defaults and braces inside defaults (compose-go TestValidUnexistentInterpolation)', () => {
  const cases: Array<[string, string]> = [
    ['{{{ ${FOO:-foo_} }}}', '{{{ foo_ }}}'],
    ['{{{ ${FOO:-foo-bar-value} }}}', '{{{ foo-bar-value }}}'],
    ['{{{ ${FOO:-foo?bar?value} }}}', '{{{ foo?bar?value }}}'],
    ['{{{ ${FOO:-foo:?bar:?value} }}}', '{{{ foo:?bar:?value }}}'],
    ['${FOO:-baz} }}}', 'baz }}}'],
    ['${FOO:-${BAR:-${ZOT:-qix}}}', 'qix'],
    ['${FOO:-${BAR:-x}_test_${BAR:-y}}', 'x_test_y'],
    ['${FOO:-${BAR:-${ZOT:-x}}_test}', 'x_test'],
  ];
  for (const [template, want] of cases) assert.equal(substitute(template, none), want, template);
});

test('required variables fail with the message, the first one in the text wins', () => {
  assert.throws(() => substitute('${FOO:?foo} ${BAR:?bar}', none), {
    message: 'required variable FOO is missing a value: foo',
  });
  assert.throws(() => substitute('${EMPTY:?}', lookup), (e: unknown) => {
    assert.ok(e instanceof MissingRequiredError);
    assert.equal(e.message, 'required variable EMPTY is missing a value');
    assert.equal(e.variable, 'EMPTY');
    return true;
  });
  assert.equal(substitute('${EMPTY?}', lookup), '');
});

test('each unset plain reference warns; modifiers and unused arguments never do', () => {
  const warnings: string[] = [];
  const warn = (m: string): void => void warnings.push(m);
  assert.equal(substitute('$A-${B}', none, warn), '-');
  assert.equal(substitute('${A:+${A},}B ${C:-x} ${FOO:-$UNUSED}', lookup, warn), 'B x bar');
  assert.deepEqual(warnings, [
    'The "A" variable is not set. Defaulting to a blank string.',
    'The "B" variable is not set. Defaulting to a blank string.',
  ]);
});

test('arguments are evaluated only when used', () => {
  assert.equal(substitute('${FOO:-${MISSING:?never}}', lookup), 'bar');
  assert.throws(() => substitute('${NOPE:-${MISSING:?used}}', lookup), { message: /MISSING is missing a value: used/ });
});

test('names are case sensitive, start with a letter or _, and stop at the first other character', () => {
  assert.equal(substitute('$foo.$FOO.${_X-u}$FOO1', lookup), '.bar.u');
  assert.equal(substitute('$FOO_x', lookup), '');
});

test('variablesOf lists references in order, nested ones included', () => {
  const refs = variablesOf('$A ${B:-${C}} ${D:?must} $$E');
  assert.deepEqual(
    refs.map((r) => [r.name, r.modifier, r.argSource]),
    [
      ['A', undefined, ''],
      ['B', ':-', '${C}'],
      ['C', undefined, ''],
      ['D', ':?', 'must'],
    ],
  );
});
