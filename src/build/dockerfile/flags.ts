// Leading `--name[=value]` words of an instruction (`COPY --from=build --link a b`). Any instruction
// may carry them syntactically; which ones are allowed is checked later (parseFlags), as Docker does.
import { UserError, type SourcePosition } from '../../errors.js';
import type { DockerfileFlag } from './parse.js';
import type { EscapeChar } from './words.js';

const isSpace = (ch: string): boolean => /\s/.test(ch);

/**
 * Takes flags off the front of `text`. Quotes inside a flag are removed (`--chown="a b"`) and the
 * escape character takes the next character literally. A bare `--` ends the flags.
 */
export function extractFlags(text: string, escape: EscapeChar, position: SourcePosition): { flags: DockerfileFlag[]; rest: string } {
  const flags: DockerfileFlag[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isSpace(text[pos]!)) pos++;
    if (!text.startsWith('--', pos)) break;
    let word = '';
    let quote: string | undefined;
    for (; pos < text.length; pos++) {
      const ch = text[pos]!;
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
        else if (quote === '"' && ch === escape && pos + 1 < text.length) word += text[++pos];
        else word += ch;
      } else if (isSpace(ch)) break;
      else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === escape && pos + 1 < text.length) word += text[++pos];
      else word += ch;
    }
    if (quote !== undefined) throw new UserError(`unterminated quote in flag: ${word}`, position);
    if (word === '--') return { flags, rest: text.slice(pos).trim() };
    const body = word.slice(2);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    if (name === '') throw new UserError(`invalid flag: ${word}`, position);
    flags.push({ name, value: eq < 0 ? undefined : body.slice(eq + 1) });
  }
  return { flags, rest: text.slice(pos).trim() };
}
