/** `.dockerignore`: parsing, Docker's matching rules, which file is read. */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IgnoreMatcher, parseDockerignore, readIgnorePatterns } from '../../src/build/context/dockerignore.js';
import { cleanPath } from '../../src/build/context/glob.js';
import { UserError } from '../../src/errors.js';

const matcher = (text: string) => new IgnoreMatcher(parseDockerignore(text));

/** The paths of `paths` the patterns leave out. */
const ignored = (text: string, paths: string[]) => {
  const m = matcher(text);
  return paths.filter((p) => m.ignores(p));
};

describe('parseDockerignore', () => {
  test('comments, blank lines, spaces, cleaning, a leading slash', () => {
    const text = '# comment\n\n  *.md  \n!README.md\n/foo/bar\n./a//b/../c/\n! /x\n #not a comment\r\nlast';
    assert.deepEqual(parseDockerignore(text), ['*.md', '!README.md', 'foo/bar', 'a/c', '!x', '#not a comment', 'last']);
  });

  test('a BOM is dropped; a bare `!` is refused by the matcher', () => {
    assert.deepEqual(parseDockerignore('\uFEFF*.log\n'), ['*.log']);
    assert.throws(() => new IgnoreMatcher(parseDockerignore('!\n')), UserError);
    assert.throws(() => new IgnoreMatcher(['a[']), UserError);
  });

  test("cleanPath is Go's filepath.Clean", () => {
    const cases: Array<[string, string]> = [
      ['', '.'],
      ['a/b/', 'a/b'],
      ['./a', 'a'],
      ['a/../..', '..'],
      ['/../a', '/a'],
      ['//a//b/./c/..', '/a/b'],
      ['/', '/'],
    ];
    for (const [input, expected] of cases) assert.equal(cleanPath(input), expected, input);
  });
});

describe('IgnoreMatcher', () => {
  test('empty', () => {
    assert.equal(new IgnoreMatcher([]).empty, true);
    assert.equal(matcher('a').empty, false);
    assert.equal(new IgnoreMatcher([]).ignores('anything'), false);
  });

  test('*.md with a !README.md exception', () => {
    assert.deepEqual(ignored('*.md\n!README.md', ['a.md', 'README.md', 'sub/a.md', 'b.txt']), ['a.md']);
  });

  test('the last matching line decides', () => {
    const paths = ['README.md', 'README-secret.md', 'other.md'];
    assert.deepEqual(ignored('*.md\n!README*.md\nREADME-secret.md', paths), ['README-secret.md', 'other.md']);
    assert.deepEqual(ignored('*.md\nREADME-secret.md\n!README*.md', paths), ['other.md']);
  });

  test('** matches any number of directories, none included', () => {
    const paths = ['main.go', 'a/main.go', 'a/b/c/main.go', 'main.go.txt', 'a/go'];
    assert.deepEqual(ignored('**/*.go', paths), ['main.go', 'a/main.go', 'a/b/c/main.go']);
    assert.deepEqual(ignored('a/**', ['a', 'a/x', 'a/b/c', 'ab']), ['a/x', 'a/b/c']);
    assert.deepEqual(ignored('a/**/z', ['a/z', 'a/b/z', 'a/b/c/z', 'a/b/c/y']), ['a/z', 'a/b/z', 'a/b/c/z']);
  });

  test('* and ? stop at /; temp? and the documented examples', () => {
    assert.deepEqual(ignored('temp?', ['tempa', 'tempb', 'temp', 'tempab', 'x/tempa']), ['tempa', 'tempb']);
    assert.deepEqual(ignored('*/temp*', ['somedir/temporary.txt', 'somedir/temp', 'temp', 'a/b/temp']), ['somedir/temporary.txt', 'somedir/temp']);
    assert.deepEqual(ignored('*/*/temp*', ['somedir/subdir/temporary.txt', 'somedir/temp']), ['somedir/subdir/temporary.txt']);
  });

  test('character classes and escapes', () => {
    assert.deepEqual(ignored('file[0-9].txt', ['file1.txt', 'filea.txt']), ['file1.txt']);
    assert.deepEqual(ignored('[^a]*', ['abc', 'bcd']), ['bcd']);
    assert.deepEqual(ignored('\\*.txt', ['*.txt', 'a.txt']), ['*.txt']);
    assert.deepEqual(ignored('a.b', ['a.b', 'axb']), ['a.b']); // `.` is no regex wildcard
  });

  test('a parent directory matched excludes everything below it', () => {
    assert.deepEqual(ignored('node_modules', ['node_modules', 'node_modules/x/y.js', 'src/node_modules', 'node_modules2']), ['node_modules', 'node_modules/x/y.js']);
    assert.deepEqual(ignored('dir/', ['dir', 'dir/a', 'dir/b/c']), ['dir', 'dir/a', 'dir/b/c']);
  });

  test('dir/ then !dir/keep: only dir/keep comes back, and the walk must go into dir', () => {
    const m = matcher('dir/\n!dir/keep');
    assert.equal(m.ignores('dir'), true);
    assert.equal(m.ignores('dir/other'), true);
    assert.equal(m.ignores('dir/keep'), false);
    assert.equal(m.ignores('dir/keep/inner'), false);
    assert.equal(m.mayIncludeBelow('dir'), true);
    assert.equal(m.mayIncludeBelow('other'), false);
    assert.equal(matcher('dir').mayIncludeBelow('dir'), false);
    assert.equal(matcher('dir\n!**/*.go').mayIncludeBelow('dir/sub'), true);
  });

  test('a leading / and ./ mean the context root', () => {
    assert.deepEqual(ignored('/foo/bar', ['foo/bar', 'x/foo/bar', 'foo/bar/baz']), ['foo/bar', 'foo/bar/baz']);
    assert.deepEqual(ignored('./secret', ['secret', 'a/secret']), ['secret']);
  });

  test('paths are cleaned before matching; the root is never ignored', () => {
    const m = matcher('*');
    assert.equal(m.ignores('./a'), true);
    assert.equal(m.ignores(''), false);
    assert.equal(m.ignores('.'), false);
  });
});

describe('readIgnorePatterns', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tscompose-dockerignore-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('none -> []; the context one; the Dockerfile one wins', () => {
    assert.deepEqual(readIgnorePatterns(dir), []);
    assert.deepEqual(readIgnorePatterns(dir, 'Dockerfile'), []);
    writeFileSync(join(dir, '.dockerignore'), 'a\n');
    assert.deepEqual(readIgnorePatterns(dir), ['a']);
    assert.deepEqual(readIgnorePatterns(dir, 'Dockerfile'), ['a']);
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'build/app.Dockerfile.dockerignore'), 'b\n');
    assert.deepEqual(readIgnorePatterns(dir, 'build/app.Dockerfile'), ['b']);
    assert.deepEqual(readIgnorePatterns(dir, join(dir, 'build/app.Dockerfile')), ['b']);
    assert.deepEqual(readIgnorePatterns(dir, 'build/other.Dockerfile'), ['a']);
  });
});
