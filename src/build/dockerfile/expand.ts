// Docker's word processing for Dockerfile arguments (ENV, ARG, LABEL, COPY/ADD, WORKDIR, USER,
// EXPOSE, FROM, VOLUME, STOPSIGNAL): quote removal, the escape character, and $V / ${V...}
// substitution. RUN/CMD/ENTRYPOINT are left to the shell and never go through here.
//
// Rules (Docker's documented behaviour):
// - 'single quotes' are literal; in "double quotes" the escape character escapes only `"`, `$` and
//   itself, and variables are substituted; outside quotes it makes the next character literal
//   (`\$V` is the text `$V`); at the very end it is dropped.
// - `$$` is no escape: like a shell, `$` followed by one of @*#?-$!0 names a special parameter, which
//   a Dockerfile never sets, so it expands to ''. `$` followed by nothing usable stays `$`.
// - ${V:-w} ${V-w} ${V:+w} ${V+w} ${V:?m} ${V?m}; ${V#p} ${V##p} ${V%p} ${V%%p} ${V/p/r} ${V//p/r}.
//   Words may nest (`${A:-${B}}`). `${V=w}` and other modifiers are errors, as in Docker.
// - Unknown variables expand to ''.
import { UserError, type SourcePosition } from '../../errors.js';
import { globToRegExp, removePrefix, removeSuffix, replaceMatches } from './pattern.js';
import type { EscapeChar } from './words.js';

export type Lookup = (name: string) => string | undefined;

/** A run of output text; `split` when unquoted, so whitespace in it separates words (expandWords). */
interface Piece {
  text: string;
  split: boolean;
}

const SPECIAL_PARAMS = '@*#?-$!0';
const NAME_CHAR = /[\p{L}\p{N}_]/u;

class WordLexer {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly lookup: Lookup,
    private readonly escape: EscapeChar,
    private readonly position: SourcePosition | undefined,
  ) {}

  private fail(message: string): never {
    throw new UserError(message, this.position);
  }

  /**
   * Reads until one of `stops` (consumed, returned) or the end. With `rawEscapes` the escape
   * character and the one it escapes are both kept: glob patterns need to see them.
   */
  scan(stops: string, rawEscapes: boolean): { pieces: Piece[]; stop: string | undefined } {
    const pieces: Piece[] = [];
    const src = this.src;
    while (this.pos < src.length) {
      const ch = src[this.pos]!;
      if (stops.includes(ch)) {
        this.pos++;
        return { pieces, stop: ch };
      }
      if (ch === "'") pieces.push({ text: this.singleQuoted(), split: false });
      else if (ch === '"') pieces.push({ text: this.doubleQuoted(), split: false });
      else if (ch === '$') pieces.push({ text: this.dollar(), split: true });
      else if (ch === this.escape) {
        this.pos++;
        if (this.pos >= src.length) break;
        const next = src[this.pos++]!;
        pieces.push({ text: rawEscapes ? ch + next : next, split: false });
      } else {
        pieces.push({ text: ch, split: true });
        this.pos++;
      }
    }
    return { pieces, stop: undefined };
  }

  private singleQuoted(): string {
    const end = this.src.indexOf("'", this.pos + 1);
    if (end < 0) this.fail('unexpected end of statement while looking for matching single-quote');
    const text = this.src.slice(this.pos + 1, end);
    this.pos = end + 1;
    return text;
  }

  private doubleQuoted(): string {
    const src = this.src;
    let out = '';
    this.pos++;
    for (;;) {
      if (this.pos >= src.length) this.fail('unexpected end of statement while looking for matching double-quote');
      const ch = src[this.pos]!;
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch === '$') {
        out += this.dollar();
        continue;
      }
      const next = src[this.pos + 1];
      if (ch === this.escape && (next === '"' || next === '$' || next === this.escape)) {
        out += next;
        this.pos += 2;
        continue;
      }
      out += ch;
      this.pos++;
    }
  }

  /** At a `$`: a substitution, or a literal `$` when no name follows. */
  private dollar(): string {
    this.pos++;
    if (this.src[this.pos] === '{') {
      this.pos++;
      return this.braced();
    }
    const name = this.readName();
    if (name === '') return '$';
    return this.lookup(name) ?? '';
  }

  /** A name: digits only (positional), one special parameter, or letters/digits/underscores. */
  private readName(): string {
    const src = this.src;
    const first = src[this.pos];
    if (first === undefined) return '';
    if (/[0-9]/.test(first)) {
      const start = this.pos;
      while (this.pos < src.length && /[0-9]/.test(src[this.pos]!)) this.pos++;
      return src.slice(start, this.pos);
    }
    if (SPECIAL_PARAMS.includes(first)) {
      this.pos++;
      return first;
    }
    const start = this.pos;
    while (this.pos < src.length && NAME_CHAR.test(src[this.pos]!)) this.pos++;
    return src.slice(start, this.pos);
  }

  /** After `${`. */
  private braced(): string {
    const name = this.readName();
    if (name === '') this.fail('bad substitution: ${ must be followed by a variable name');
    const op = this.src[this.pos];
    if (op === undefined) this.fail("syntax error: missing '}'");
    this.pos++;
    switch (op) {
      case '}':
        return this.lookup(name) ?? '';
      case ':': {
        const m = this.src[this.pos];
        if (m !== '-' && m !== '+' && m !== '?') this.fail(`unsupported modifier (:${m ?? ''}) in substitution`);
        this.pos++;
        return this.modifier(name, m, true, this.word());
      }
      case '-':
      case '+':
      case '?':
        return this.modifier(name, op, false, this.word());
      case '#':
      case '%': {
        const longest = this.src[this.pos] === op;
        if (longest) this.pos++;
        const pattern = this.rawWord('}');
        if (pattern.stop !== '}') this.fail("syntax error: missing '}'");
        const re = globToRegExp(pattern.text, this.escape, this.position);
        const value = this.lookup(name) ?? '';
        return op === '#' ? removePrefix(value, re, longest) : removeSuffix(value, re, longest);
      }
      case '/': {
        const all = this.src[this.pos] === '/';
        if (all) this.pos++;
        const pattern = this.rawWord('/}');
        if (pattern.stop !== '/') this.fail(`bad substitution: \${${name}/pattern/replacement} needs the second '/'`);
        const replacement = this.rawWord('}');
        if (replacement.stop !== '}') this.fail("syntax error: missing '}'");
        const re = globToRegExp(pattern.text, this.escape, this.position);
        return replaceMatches(this.lookup(name) ?? '', pattern.text, re, replacement.text, all);
      }
      default:
        this.fail(`unsupported modifier (${op}) in substitution`);
    }
  }

  /** The word of ${V:-word}: fully processed (quotes, escapes, nested substitutions) up to `}`. */
  private word(): string {
    const { pieces, stop } = this.scan('}', false);
    if (stop !== '}') this.fail("syntax error: missing '}'");
    return pieces.map((p) => p.text).join('');
  }

  private rawWord(stops: string): { text: string; stop: string | undefined } {
    const { pieces, stop } = this.scan(stops, true);
    return { text: pieces.map((p) => p.text).join(''), stop };
  }

  private modifier(name: string, op: string, colon: boolean, word: string): string {
    const value = this.lookup(name);
    const missing = colon ? value === undefined || value === '' : value === undefined;
    if (op === '-') return missing ? word : value!;
    if (op === '+') return missing ? '' : word;
    if (missing) this.fail(`${name}: ${word !== '' ? word : colon ? 'is not allowed to be unset or empty' : 'is not allowed to be unset'}`);
    return value!;
  }
}

/** One word: the whole text, with quotes removed, escapes processed and variables substituted. */
export function expandWord(text: string, lookup: Lookup, escape: EscapeChar = '\\', position?: SourcePosition): string {
  return new WordLexer(text, lookup, escape, position)
    .scan('', false)
    .pieces.map((p) => p.text)
    .join('');
}

/**
 * Several words (EXPOSE, VOLUME, COPY sources...): split on whitespace outside quotes. As in Docker's
 * ProcessWords, the value of an unquoted variable is split too (`$PORTS` = "80 443" gives two
 * words) while a quoted one is not ("$DIR" stays one); an empty quoted string makes no word.
 */
export function expandWords(text: string, lookup: Lookup, escape: EscapeChar = '\\', position?: SourcePosition): string[] {
  const { pieces } = new WordLexer(text, lookup, escape, position).scan('', false);
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (const piece of pieces) {
    if (!piece.split) {
      if (piece.text !== '') {
        word += piece.text;
        inWord = true;
      }
      continue;
    }
    for (const ch of piece.text) {
      if (/\s/.test(ch)) {
        if (inWord) words.push(word);
        word = '';
        inWord = false;
      } else {
        word += ch;
        inWord = true;
      }
    }
  }
  if (inWord) words.push(word);
  return words;
}
