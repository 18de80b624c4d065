// Glob patterns of `${V#p}` `${V%p}` `${V/p/r}`: `*` any run, `?` one character, the escape character
// makes the next one literal; everything else (including `[`) is literal, as in Docker.
import { UserError, type SourcePosition } from '../../errors.js';

const reEscape = (ch: string): string => ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function globToRegExp(pattern: string, escape: string, position?: SourcePosition): RegExp {
  const chars = Array.from(pattern);
  let re = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === escape) {
      if (i + 1 >= chars.length) throw new UserError(`invalid pattern "${pattern}": it ends with an escape`, position);
      re += reEscape(chars[++i]!);
    } else if (ch === '*') re += '[\\s\\S]*';
    else if (ch === '?') re += '[\\s\\S]';
    else re += reEscape(ch);
  }
  return new RegExp(`^(?:${re})$`, 'u');
}

/** `${V#p}` (shortest) and `${V##p}` (longest): drops the matching prefix. */
export function removePrefix(value: string, re: RegExp, longest: boolean): string {
  const chars = Array.from(value);
  for (let k = 0; k <= chars.length; k++) {
    const end = longest ? chars.length - k : k;
    if (re.test(chars.slice(0, end).join(''))) return chars.slice(end).join('');
  }
  return value;
}

/** `${V%p}` (shortest) and `${V%%p}` (longest): drops the matching suffix. */
export function removeSuffix(value: string, re: RegExp, longest: boolean): string {
  const chars = Array.from(value);
  for (let k = 0; k <= chars.length; k++) {
    const start = longest ? k : chars.length - k;
    if (re.test(chars.slice(start).join(''))) return chars.slice(0, start).join('');
  }
  return value;
}

/**
 * `${V/p/r}` replaces the first (longest, leftmost) match, `${V//p/r}` every one. An empty pattern
 * puts the replacement in front once (Docker leaves that case unspecified; this never loops).
 */
export function replaceMatches(value: string, pattern: string, re: RegExp, replacement: string, all: boolean): string {
  if (pattern === '') return replacement + value;
  const chars = Array.from(value);
  let out = '';
  let i = 0;
  let replaced = false;
  while (i < chars.length) {
    let end = -1;
    if (all || !replaced) {
      for (let j = chars.length; j > i; j--) {
        if (re.test(chars.slice(i, j).join(''))) {
          end = j;
          break;
        }
      }
    }
    if (end < 0) {
      out += chars[i++];
      continue;
    }
    out += replacement;
    replaced = true;
    i = end;
  }
  return out;
}
