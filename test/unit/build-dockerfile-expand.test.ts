import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandWord, expandWords } from '../../src/build/dockerfile/expand.js';
import { UserError } from '../../src/errors.js';

const env: Record<string, string> = { PWD: '/home', SHELL: 'bash', NULL: '', FOO: 'xxyy', B: 'bee', SPACED: 'a b  c' };
const lookup = (name: string): string | undefined => (Object.hasOwn(env, name) ? env[name] : undefined);
const w = (text: string, escape: '\\' | '`' = '\\'): string => expandWord(text, lookup, escape);
const ws = (text: string): string[] => expandWords(text, lookup);

test('plain and braced variables; unknown ones are empty', () => {
  assert.equal(w('$PWD'), '/home');
  assert.equal(w('${PWD}'), '/home');
  assert.equal(w('${PWD}_x $SHELL/x'), '/home_x bash/x');
  assert.equal(w('$PWDx'), '');
  assert.equal(w('a${NOPE}b$NOPE'), 'ab');
  assert.equal(w('$'), '$');
  assert.equal(w('a $ b $. $/'), 'a $ b $. $/');
});

test('$$ is not an escape: it is the (unset) special parameter $', () => {
  assert.equal(w('$$'), '');
  assert.equal(w('a$$b'), 'ab');
  assert.equal(w('$1x'), 'x');
});

test('escapes: \\$V is literal, escape char at the end is dropped, escaped blank kept', () => {
  assert.equal(w('\\$PWD'), '$PWD');
  assert.equal(w('\\${PWD}'), '${PWD}');
  assert.equal(w('Rex\\ The\\ Dog'), 'Rex The Dog');
  assert.equal(w('a\\\\b'), 'a\\b');
  assert.equal(w('ab\\'), 'ab');
  assert.equal(w('\\n'), 'n');
});

test('single quotes are literal', () => {
  assert.equal(w("'$PWD \\$x \"q\"'"), '$PWD \\$x "q"');
  assert.equal(w("a'b c'd"), 'ab cd');
});

test('double quotes: variables expanded; escape only before " $ and itself', () => {
  assert.equal(w('"$PWD is here"'), '/home is here');
  assert.equal(w('"\\$PWD \\" \\\\ \\n \\a"'), '$PWD " \\ \\n \\a');
  assert.equal(w('"it\'s"'), "it's");
  assert.equal(w('"a"b\'c\''), 'abc');
});

test('backtick escape: backslash is ordinary, backtick escapes', () => {
  assert.equal(w('c:\\path\\$PWD', '`'), 'c:\\path\\/home');
  assert.equal(w('`$PWD c:\\x', '`'), '$PWD c:\\x');
  assert.equal(w('"`$PWD `" \\"', '`'), '$PWD " \\');
});

test('default and alternative forms, set vs empty vs unset', () => {
  assert.equal(w('${PWD:-d} ${NULL:-d} ${NOPE:-d}'), '/home d d');
  assert.equal(w('${PWD-d} ${NULL-d} ${NOPE-d}'), '/home  d');
  assert.equal(w('${PWD:+x} ${NULL:+x} ${NOPE:+x}'), 'x  ');
  assert.equal(w('${PWD+x} ${NULL+x} ${NOPE+x}'), 'x x ');
  assert.equal(w('${NOPE:-}'), '');
  assert.equal(w('${NOPE:-a "b c" \'$d\'}'), "a b c $d");
  assert.equal(w('${NOPE:-a\\}b}'), 'a}b');
});

test('nested defaults', () => {
  assert.equal(w('${NOPE:-${B}}'), 'bee');
  assert.equal(w('${NOPE:-${ALSO:-${SHELL}x}}'), 'bashx');
  assert.equal(w('${B:+[${PWD}]}'), '[/home]');
  assert.equal(w('"${NOPE:-"quoted"}"'), 'quoted');
});

test('${V:?msg} and ${V?msg} fail with the message', () => {
  assert.equal(w('${PWD:?no}'), '/home');
  assert.equal(w('${NULL?no}'), '');
  const fails = (text: string, message: string): void =>
    assert.throws(() => w(text), (e: unknown) => e instanceof UserError && e.message.includes(message));
  fails('${NULL:?message here$SHELL}', 'message herebash');
  fails('${NOPE:?must be set}', 'NOPE: must be set');
  fails('${NOPE?unset}', 'unset');
  fails('${NOPE:?}', 'NOPE');
});

test('pattern removal and replacement', () => {
  const e = (text: string, vars: Record<string, string>): string => expandWord(text, (n) => vars[n]);
  assert.equal(e('${str#f*b}', { str: 'foobarbaz' }), 'arbaz');
  assert.equal(e('${str##f*b}', { str: 'foobarbaz' }), 'az');
  assert.equal(e('${str%b*}', { str: 'foobarbaz' }), 'foobar');
  assert.equal(e('${str%%b*}', { str: 'foobarbaz' }), 'foo');
  assert.equal(e('${str/ba/fo}', { str: 'foobarbaz' }), 'fooforbaz');
  assert.equal(e('${str//ba/fo}', { str: 'foobarbaz' }), 'fooforfoz');
  assert.equal(e('${FOO#*x*y}', { FOO: 'xxyy' }), 'y');
  assert.equal(e('${FOO#*}', { FOO: 'xxyy' }), 'xxyy');
  assert.equal(e('${FOO#?\\?}', { FOO: '???y' }), '?y');
  assert.equal(e('${FOO%%\\**}', { FOO: 'xx**' }), 'xx');
  assert.equal(e('${FOO#()[]{\\}^$.\\*\\?|\\\\}', { FOO: '()[]{}^$.*?|\\x' }), 'x');
  assert.equal(e('${FOO/$N/.} - ${FOO//$N/.}', { FOO: '/foo*/*/*.txt', N: '\\*/' }), '/foo.*/*.txt - /foo..*.txt');
  assert.equal(e('${FOO/$N/$R} - ${FOO//$N/$R}', { FOO: '/a/foo/b/c.txt', N: '/?/', R: '/' }), '/foo/b/c.txt - /foo/c.txt');
  assert.equal(e('${FOO//\\//\\/}', { FOO: '/tmp/foo.txt' }), '\\/tmp\\/foo.txt');
  assert.equal(e('${FOO/$B/ww}', { FOO: 'xxyy', B: '' }), 'wwxxyy');
  assert.equal(e('${FOO///}', { FOO: 'xxyy' }), 'xxyy');
  assert.equal(e('${FOO///}', {}), '');
});

test('syntax errors', () => {
  for (const bad of ['${FOO', '${FOO:-x', '${FOO=x}', '${FOO:=x}', '${FOO:1}', '${}', '${FOO//ww}', '${FOO//}', "'open", '"open', '${FOO!}']) {
    assert.throws(() => w(bad), UserError, bad);
  }
});

test('position is attached to errors when given', () => {
  assert.throws(
    () => expandWord('${X:?nope}', () => undefined, '\\', { file: 'Dockerfile', line: 7 }),
    (e: unknown) => e instanceof UserError && e.describe() === 'Dockerfile:7: X: nope',
  );
});

test('expandWords splits on unquoted blanks; quoted/escaped blanks stay', () => {
  assert.deepEqual(ws('80 443/udp  8080'), ['80', '443/udp', '8080']);
  assert.deepEqual(ws('  a "b c"  d\\ e \'f g\' '), ['a', 'b c', 'd e', 'f g']);
  assert.deepEqual(ws('x"y z"w'), ['xy zw']);
  assert.deepEqual(ws(''), []);
  assert.deepEqual(ws('a "" b'), ['a', 'b']);
});

test('expandWords: unquoted variable values are split, quoted ones are not (Docker ProcessWords)', () => {
  assert.deepEqual(ws('$SPACED'), ['a', 'b', 'c']);
  assert.deepEqual(ws('"$SPACED"'), ['a b  c']);
  assert.deepEqual(ws('x$SPACED'), ['xa', 'b', 'c']);
  assert.deepEqual(ws('$NOPE a'), ['a']);
  assert.deepEqual(ws('${NOPE:-1 2}'), ['1', '2']);
  assert.deepEqual(ws('$PWD/x ${SHELL}'), ['/home/x', 'bash']);
});
