// Parser directives (`# escape=`, `# syntax=`, `# check=`): special comments allowed only at the very
// top of a Dockerfile. The first line that is not a known directive ends them; from there on a
// directive-looking line is an ordinary comment (Docker's documented rule).
import { UserError } from '../../errors.js';
import type { EscapeChar } from './words.js';

export interface Directives {
  escape: EscapeChar;
  syntax?: string;
  check?: string;
  /** Index of the first line after the directives. */
  next: number;
}

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const KNOWN = new Set(['escape', 'syntax', 'check']);

export function readDirectives(lines: readonly string[], file: string): Directives {
  const found: Directives = { escape: '\\', next: 0 };
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!.replace(/^[ \t]+/, ''));
    const name = m?.[1]?.toLowerCase();
    // An unknown directive is a comment, and like any comment it ends the directive block.
    if (!m || name === undefined || !KNOWN.has(name)) return { ...found, next: i };
    const value = m[2]!;
    const position = { file, line: i + 1 };
    if (seen.has(name)) throw new UserError(`only one ${name} parser directive can be used`, position);
    seen.add(name);
    if (name === 'escape') {
      if (value !== '\\' && value !== '`') throw new UserError(`invalid escape token '${value}' does not match \` or \\`, position);
      found.escape = value;
    } else if (name === 'syntax') found.syntax = value;
    else found.check = value;
  }
  return { ...found, next: lines.length };
}
