import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile, type RawInstruction } from '../../src/build/dockerfile/parse.js';
import { UserError } from '../../src/errors.js';

const parse = (text: string): RawInstruction[] => parseDockerfile(text).instructions;
const only = (text: string): RawInstruction => parse(`FROM scratch\n${text}`)[1]!;

/** Asserts a UserError whose `describe()` is `file:line: ...` containing `message`. */
function throwsAt(text: string, line: number | undefined, message: string | RegExp): void {
  assert.throws(
    () => parseDockerfile(text),
    (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.equal(e.position?.line, line);
      assert.equal(e.position?.file, 'Dockerfile');
      if (typeof message === 'string') assert.ok(e.message.includes(message), e.message);
      else assert.match(e.message, message);
      return true;
    },
  );
}

test('instructions with line numbers, upper-cased keywords, original text', () => {
  const ins = parse('from alpine:3 AS base\n\nRun echo hi\n  cmd ["sh"]\n');
  assert.deepEqual(
    ins.map((i) => [i.keyword, i.line, i.endLine, i.args, i.original]),
    [
      ['FROM', 1, 1, 'alpine:3 AS base', 'FROM alpine:3 AS base'],
      ['RUN', 3, 3, 'echo hi', 'RUN echo hi'],
      ['CMD', 4, 4, '["sh"]', 'CMD ["sh"]'],
    ],
  );
});

test('BOM and CRLF line ends are handled', () => {
  const ins = parse('\uFEFFFROM a\r\nRUN echo \\\r\n  x\r\n');
  assert.equal(ins[0]!.keyword, 'FROM');
  assert.equal(ins[1]!.args, 'echo   x');
});

test('continuation lines are joined without escape and newline, keeping their indentation', () => {
  const i = only('RUN apt-get update && \\\n    apt-get install -y curl');
  assert.equal(i.args, 'apt-get update &&     apt-get install -y curl');
  assert.equal(i.line, 2);
  assert.equal(i.endLine, 3);
  // blanks after the escape character still continue the line
  assert.equal(only('RUN a \\  \t\nb').args, 'a b');
});

test('comments and empty lines inside a continuation are skipped', () => {
  const i = only('RUN echo hello \\\n# comment\n\n   \n  # indented comment\nworld');
  assert.equal(i.args, 'echo hello world');
  assert.equal(i.endLine, 7);
});

test('comment lines are skipped, # elsewhere is an argument', () => {
  const ins = parse('# top\nFROM a\n   # indented\nRUN echo "we are # of cool things"\n');
  assert.equal(ins.length, 2);
  assert.equal(ins[1]!.args, 'echo "we are # of cool things"');
});

test('escape directive: backtick continues lines, backslash is ordinary', () => {
  const df = parseDockerfile('# escape=`\n\nFROM microsoft/nanoserver\nCOPY testfile.txt c:\\\nRUN dir c:\\ `\n  /w\n');
  assert.equal(df.escape, '`');
  assert.deepEqual(
    df.instructions.map((i) => i.args),
    ['microsoft/nanoserver', 'testfile.txt c:\\', 'dir c:\\   /w'],
  );
});

test('default escape: a trailing backslash joins the next line (Docker docs Windows example)', () => {
  const ins = parse('FROM a\nCOPY testfile.txt c:\\\\\nRUN dir c:\\\n');
  assert.equal(ins.length, 2);
  assert.equal(ins[1]!.args, 'testfile.txt c:\\RUN dir c:');
});

test('syntax and check directives; case-insensitive names and blanks allowed', () => {
  const df = parseDockerfile('# SYNTAX = docker/dockerfile:1\n#check=error=true\nFROM a\n');
  assert.equal(df.syntax, 'docker/dockerfile:1');
  assert.equal(df.check, 'error=true');
  assert.equal(df.escape, '\\');
});

test('directives after a comment, an empty line or an instruction are comments', () => {
  assert.equal(parseDockerfile('# about\n# escape=`\nFROM a\n').escape, '\\');
  assert.equal(parseDockerfile('\n# escape=`\nFROM a\n').escape, '\\');
  assert.equal(parseDockerfile('FROM a\n# escape=`\n').escape, '\\');
  // an unknown directive is a comment, so a known one after it is too
  const df = parseDockerfile('# unknowndirective=value\n# syntax=value\nFROM a\n');
  assert.equal(df.syntax, undefined);
});

test('directive errors: repeated, bad escape token', () => {
  throwsAt('# escape=\\\n# escape=`\nFROM a\n', 2, 'only one escape parser directive');
  throwsAt('# escape=x\nFROM a\n', 1, 'invalid escape token');
});

test('flags: leading --x[=y] words, quotes removed, repeated kept in order', () => {
  const i = only('COPY --from=build --link --chown="app user" a b /dst/');
  assert.deepEqual(i.flags, [
    { name: 'from', value: 'build' },
    { name: 'link', value: undefined },
    { name: 'chown', value: 'app user' },
  ]);
  assert.equal(i.args, 'a b /dst/');
  assert.equal(i.original, 'COPY --from=build --link --chown="app user" a b /dst/');
  const r = only('RUN --mount=type=cache,target=/a \\\n    --mount=type=secret,id=x \\\n    make');
  assert.deepEqual(r.flags.map((f) => f.value), ['type=cache,target=/a', 'type=secret,id=x']);
  assert.equal(r.args, 'make');
  // only leading ones: a later --x is an argument
  assert.deepEqual(only('RUN ls --all').flags, []);
  // `--` ends the flags
  const d = only('RUN --network=none -- --weird');
  assert.deepEqual(d.flags, [{ name: 'network', value: 'none' }]);
  assert.equal(d.args, '--weird');
});

test('JSON (exec) form vs shell form; invalid JSON falls back to the shell form', () => {
  assert.deepEqual(only('CMD ["nginx", "-g", "daemon off;"]').json, ['nginx', '-g', 'daemon off;']);
  assert.deepEqual(only('RUN --network=none ["ls", "/"]').json, ['ls', '/']);
  assert.deepEqual(only('ENTRYPOINT []').json, []);
  assert.deepEqual(only('RUN ["a\\\\b"]').json, ['a\\b']);
  assert.equal(only("CMD ['single', 'quotes']").json, undefined);
  assert.equal(only('RUN ["c:\\windows\\x.exe"]').json, undefined);
  assert.equal(only('CMD ["a", 1]').json, undefined);
  assert.equal(only('CMD ["a"] extra').json, undefined);
  assert.equal(only('CMD echo [a]').json, undefined);
  // instructions without an exec form never get one
  assert.equal(only('EXPOSE ["80"]').json, undefined);
  // JSON across continuation lines
  assert.deepEqual(only('CMD ["a", \\\n  "b"]').json, ['a', 'b']);
});

test('RUN <<EOF collects the body up to the delimiter line', () => {
  const i = only('RUN <<EOF\napt-get update\n# not a comment here\n  indented \\\nEOF\nRUN next');
  assert.equal(i.args, '<<EOF');
  assert.equal(i.original, 'RUN <<EOF');
  assert.deepEqual(i.heredocs, [{ name: 'EOF', content: 'apt-get update\n# not a comment here\n  indented \\\n', expand: true }]);
  assert.equal(i.line, 2);
  assert.equal(i.endLine, 6);
  const all = parse('FROM a\nRUN <<EOF\nx\nEOF\nRUN next\n');
  assert.deepEqual(all.map((x) => [x.keyword, x.line]), [['FROM', 1], ['RUN', 2], ['RUN', 5]]);
});

test('heredoc: empty body, quoted delimiters mean no expansion', () => {
  assert.deepEqual(only('RUN <<EMPTY\nEMPTY').heredocs, [{ name: 'EMPTY', content: '', expand: true }]);
  assert.deepEqual(only("RUN <<'EOF' | python\nprint(\"$x\")\nEOF").heredocs, [{ name: 'EOF', content: 'print("$x")\n', expand: false }]);
  assert.deepEqual(only('COPY <<-"EOT" /script.sh\n\techo "hello ${FOO}"\nEOT').heredocs, [
    { name: 'EOT', content: 'echo "hello ${FOO}"\n', expand: false },
  ]);
  assert.equal(only('RUN <<E\\OF\nx\nEOF').heredocs[0]!.expand, false);
});

test('heredoc: <<- strips leading tabs from body and delimiter, << keeps them', () => {
  assert.deepEqual(only('RUN <<-EOF\n\t\techo test\n\t  spaces kept after tabs\n\tEOF').heredocs, [
    { name: 'EOF', content: 'echo test\n  spaces kept after tabs\n', expand: true },
  ]);
  assert.deepEqual(only('RUN <<INDENT\n\tfoo\n\tbar\nINDENT').heredocs[0]!.content, '\tfoo\n\tbar\n');
  // without <<- an indented delimiter does not end the body
  assert.deepEqual(only('RUN <<EOF\n\tEOF\nEOF').heredocs[0]!.content, '\tEOF\n');
});

test('two heredocs in one RUN are read in order', () => {
  const i = only('RUN <<FILE1 cat > file1 && <<FILE2 cat > file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2\nCMD x');
  assert.equal(i.args, '<<FILE1 cat > file1 && <<FILE2 cat > file2');
  assert.deepEqual(i.heredocs, [
    { name: 'FILE1', content: 'I am\nfirst\n', expand: true },
    { name: 'FILE2', content: 'I am\nsecond\n', expand: true },
  ]);
  assert.equal(i.endLine, 8);
});

test('COPY/ADD heredocs; markers after a continuation; inline files', () => {
  const c = only('COPY <<EOF /usr/share/nginx/html/index.html\n<html>hello</html>\nEOF');
  assert.equal(c.args, '<<EOF /usr/share/nginx/html/index.html');
  assert.deepEqual(c.heredocs, [{ name: 'EOF', content: '<html>hello</html>\n', expand: true }]);
  const a = only('ADD <<EOF1 <<EOF2 /bar/\nthis is the first file\nEOF1\nthis is the second file\nEOF2');
  assert.deepEqual(a.heredocs.map((h) => h.name), ['EOF1', 'EOF2']);
  const k = only('RUN <<EOF \\\n  bash\nbody\nEOF');
  assert.equal(k.args, '<<EOF   bash');
  assert.equal(k.heredocs[0]!.content, 'body\n');
  assert.equal(k.endLine, 5);
});

test('not heredocs: quoted markers, exec form, other instructions, fd only for RUN', () => {
  assert.deepEqual(only('RUN "<<NOHEREDOC"').heredocs, []);
  assert.deepEqual(only('RUN ["<<EOF"]').heredocs, []);
  assert.deepEqual(only('RUN echo a<<b').heredocs, []);
  assert.deepEqual(parse('FROM a\nLABEL x=<<EOF\nRUN y\n').map((x) => x.keyword), ['FROM', 'LABEL', 'RUN']);
  assert.deepEqual(only('RUN 3<<EOF\nx\nEOF').heredocs.map((h) => h.name), ['EOF']);
});

test('unterminated heredoc is an error at the instruction line', () => {
  throwsAt('FROM a\nRUN <<EOF\necho\n', 2, 'unterminated heredoc');
});

test('errors carry the line: unknown instruction, missing arguments', () => {
  throwsAt('FROM a\nFOO bar\n', 2, 'unknown instruction: FOO');
  throwsAt('FROM a\n\nRUN\n', 3, 'RUN requires at least one argument');
  throwsAt('FROM\n', 1, 'FROM requires at least one argument');
  throwsAt('FROM a\nENV\n', 2, 'ENV requires at least one argument');
  throwsAt('FROM a\nCOPY onlyone\n', 2, 'COPY requires at least two arguments');
  throwsAt('FROM a b\n', 1, 'FROM requires either one or three arguments');
  throwsAt('FROM a IS b\n', 1, 'AS');
  throwsAt('FROM a\nSHELL /bin/bash -c\n', 2, 'SHELL requires the arguments to be in JSON form');
  throwsAt('FROM a\nONBUILD ONBUILD RUN x\n', 2, 'Chaining ONBUILD');
  throwsAt('FROM a\nONBUILD FROM b\n', 2, "FROM isn't allowed as an ONBUILD trigger");
  throwsAt('FROM a\nONBUILD BOGUS\n', 2, 'unknown instruction: BOGUS');
  // CMD and ENTRYPOINT may be empty
  assert.equal(only('CMD').args, '');
  assert.equal(UserError.prototype.describe.call(new UserError('unknown instruction: FOO', { file: 'Dockerfile', line: 2 })), 'Dockerfile:2: unknown instruction: FOO');
});

test('no build stage: empty file, no FROM, instruction before FROM', () => {
  throwsAt('', undefined, 'no build stage in current context');
  throwsAt('# only a comment\n\n', undefined, 'no build stage in current context');
  throwsAt('ARG V=1\n', undefined, 'no build stage in current context');
  throwsAt('ARG V=1\nRUN x\nFROM a\n', 2, 'no build stage in current context');
  assert.deepEqual(parse('ARG V=1\nFROM a:$V\n').map((i) => i.keyword), ['ARG', 'FROM']);
  // ONBUILD triggers can be parsed on their own
  assert.deepEqual(parseDockerfile('RUN x\n', 'Dockerfile', { requireFrom: false }).instructions.map((i) => i.keyword), ['RUN']);
});

test('file name in error positions', () => {
  assert.throws(() => parseDockerfile('FROM a\nNOPE\n', 'app/Containerfile'), (e: unknown) => e instanceof UserError && e.describe() === 'app/Containerfile:2: unknown instruction: NOPE');
});
