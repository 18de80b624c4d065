/**
 * Go's `filepath.Match` pattern syntax (with `/` as the separator), translated to regular expressions:
 * `*` is any run of non-`/` characters, `?` one non-`/` character, `[...]` a class (`^` negates, `a-z` ranges,
 * `\` escapes), `\x` is `x` itself. `.dockerignore` adds `**` (any number of directories, see `compileGlob`).
 */
import { UserError } from '../../errors.js';

/** A pattern Go's `filepath.Match` would refuse (`ErrBadPattern`). */
export class BadPatternError extends UserError {
  constructor(pattern: string, why: string) {
    super(`syntax error in pattern "${pattern}": ${why}`);
    this.name = 'BadPatternError';
  }
}

/** Whether a pattern has an unescaped `*`, `?` or `[` (Docker's test for a wildcard source). */
export function hasWildcard(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') i++;
    else if (ch === '*' || ch === '?' || ch === '[') return true;
  }
  return false;
}

/**
 * The pattern as an anchored regular expression. With `doubleStar` (`.dockerignore`), `**` followed by the end
 * of the pattern matches anything, and `**` (or `**\/`) elsewhere matches any number of whole directories,
 * none included: `**\/*.go` matches `a.go` and `x/y/a.go`.
 */
export function compileGlob(pattern: string, doubleStar = false): RegExp {
  const p = Array.from(pattern); // code points: `?` is one character, not one UTF-16 unit
  let re = '';
  let i = 0;
  const bad = (why: string): never => {
    throw new BadPatternError(pattern, why);
  };
  while (i < p.length) {
    const ch = p[i]!;
    if (ch === '*') {
      if (doubleStar && p[i + 1] === '*') {
        i += 2;
        if (p[i] === '/') i++;
        re += i >= p.length ? '.*' : '(?:.*/)?';
        continue;
      }
      re += '[^/]*';
      i++;
    } else if (ch === '?') {
      re += '[^/]';
      i++;
    } else if (ch === '[') {
      const cls = parseClass(p, i + 1, bad);
      re += cls.regex;
      i = cls.end;
    } else if (ch === '\\') {
      if (i + 1 >= p.length) bad('trailing backslash');
      re += escapeRegex(p[i + 1]!);
      i += 2;
    } else {
      re += escapeRegex(ch);
      i++;
    }
  }
  return new RegExp(`^${re}$`, 'su');
}

/** A `[...]` class starting after its `[`: the regex, and the index after its `]`. */
function parseClass(pattern: string[], start: number, bad: (why: string) => never): { regex: string; end: number } {
  let i = start;
  let negated = false;
  if (pattern[i] === '^') {
    negated = true;
    i++;
  }
  const items: string[] = [];
  const char = (): string => {
    const ch = pattern[i];
    if (ch === undefined) bad('missing "]"');
    if (ch === '-' || ch === ']') bad(`unexpected "${ch}" in a character class`);
    if (ch === '\\') {
      i++;
      if (i >= pattern.length) bad('missing "]"');
    }
    return pattern[i++]!;
  };
  for (;;) {
    if (i >= pattern.length) bad('missing "]"');
    if (pattern[i] === ']' && items.length > 0) {
      i++;
      break;
    }
    const lo = char();
    if (pattern[i] === '-') {
      i++;
      const hi = char();
      if (hi < lo) bad(`bad range "${lo}-${hi}"`);
      items.push(`${escapeClassChar(lo)}-${escapeClassChar(hi)}`);
    } else {
      items.push(escapeClassChar(lo));
    }
  }
  // A class stands for one character of a name: never the separator.
  return { regex: negated ? `[^/${items.join('')}]` : `(?!/)[${items.join('')}]`, end: i };
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function escapeClassChar(ch: string): string {
  return /[\\\]^[-]/.test(ch) ? `\\${ch}` : ch;
}

/** Go's `filepath.Clean` for `/`-separated paths. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
