// ENV / LABEL / ARG arguments, plus the per-instruction helpers the builder uses (re-exported here
// so it has one place to import them from).
import { UserError, type SourcePosition } from '../../errors.js';
import { expandWord, type Lookup } from './expand.js';
import { indexOfUnquoted, splitRawWords, type EscapeChar } from './words.js';

export { parseFlags, type FlagRules } from './flag-values.js';
export { parseMountFlag, type MountSpec, type MountType } from './mount.js';
export { parseHealthcheck, type Healthcheck } from './healthcheck.js';
export { shellOrExec, runScript } from './command.js';

export interface KeyValue {
  key: string;
  /** Undefined only for `ARG NAME` without a default. */
  value: string | undefined;
}

/**
 * - `K=V K2="v 2"`: each value (and ENV/LABEL key) processed with expandWord; every word needs `=`.
 * - legacy `ENV K some value` / `LABEL K some value`: one pair, the rest of the line is the value.
 * - ARG: `NAME`, `NAME=default`, several allowed; a name without `=` has value undefined.
 * All values are expanded with the same `lookup` (Docker: a variable changed by this instruction
 * takes effect from the next one).
 */
export function parseKeyValues(args: string, keyword: string, lookup: Lookup, escape: EscapeChar, position: SourcePosition): KeyValue[] {
  const kw = keyword.toUpperCase();
  const words = splitRawWords(args, escape);
  if (words.length === 0) throw new UserError(`${kw} requires at least one argument`, position);
  const expand = (text: string): string => expandWord(text, lookup, escape, position);

  if (kw === 'ARG') {
    return words.map((word) => {
      const eq = indexOfUnquoted(word, '=', escape);
      const key = eq < 0 ? word : word.slice(0, eq);
      if (key === '') throw new UserError('ARG names can not be blank', position);
      return { key, value: eq < 0 ? undefined : expand(word.slice(eq + 1)) };
    });
  }

  if (indexOfUnquoted(words[0]!, '=', escape) < 0) {
    // Legacy form: the first word is the key, everything after the blanks that follow it the value.
    const m = /^(\S+)\s+([\s\S]*)$/.exec(args.trim());
    if (!m) throw new UserError(`${kw} must have two arguments`, position);
    return [{ key: expand(m[1]!), value: expand(m[2]!) }];
  }
  return words.map((word) => {
    const eq = indexOfUnquoted(word, '=', escape);
    if (eq < 0) throw new UserError(`syntax error - can't find = in "${word}". Must be of the form: name=value`, position);
    const key = expand(word.slice(0, eq));
    if (key === '') throw new UserError(`${kw} names can not be blank`, position);
    return { key, value: expand(word.slice(eq + 1)) };
  });
}
