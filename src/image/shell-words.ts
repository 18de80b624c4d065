/**
 * The small part of Dockerfile word processing that `--change` instructions need: splitting on unquoted
 * whitespace, removing quotes and backslash escapes, and expanding $VAR / ${VAR} from the image's Env
 * (single quotes keep everything literal, as in a Dockerfile).
 */
import { UserError } from '../errors.js';

/** Splits at unquoted whitespace; quotes and escapes stay in the words for processWord. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && quote !== "'" && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (quote) {
      if (ch === quote) quote = undefined;
      current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    if (/\s/.test(ch)) {
      if (current !== '') words.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (quote) throw new UserError(`unexpected end of statement while looking for matching ${quote}`);
  if (current !== '') words.push(current);
  return words;
}

/** Removes quotes and escapes and expands variables from `env` ("KEY=VALUE" strings). */
export function processWord(word: string, env: string[] = []): string {
  const lookup = (name: string) => {
    const hit = [...env].reverse().find((kv) => kv.startsWith(name + '='));
    return hit === undefined ? '' : hit.slice(name.length + 1);
  };
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else out += ch;
      continue;
    }
    if (ch === '\\' && i + 1 < word.length) {
      out += word[++i];
      continue;
    }
    if (ch === '"' && quote === '"') quote = undefined;
    else if ((ch === '"' || ch === "'") && quote === undefined) quote = ch;
    else if (ch === '$') {
      const [value, next] = expandVariable(word, i, lookup);
      out += value;
      i = next - 1;
    } else out += ch;
  }
  return out;
}

/** Expands the variable starting at word[start] === '$'; returns its value and the index after it. */
function expandVariable(word: string, start: number, lookup: (name: string) => string): [string, number] {
  if (word[start + 1] === '{') {
    const close = word.indexOf('}', start + 2);
    if (close === -1) throw new UserError(`missing '}' in ${JSON.stringify(word)}`);
    const inner = word.slice(start + 2, close);
    const modifier = /^([A-Za-z_][A-Za-z0-9_]*):([-+])(.*)$/.exec(inner);
    if (!modifier) return [lookup(inner), close + 1];
    const [, name, op, alternative] = modifier;
    const value = lookup(name!);
    if (op === '-') return [value === '' ? alternative! : value, close + 1];
    return [value === '' ? '' : alternative!, close + 1];
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(start + 1))?.[0];
  if (!name) return ['$', start + 1];
  return [lookup(name), start + 1 + name.length];
}
