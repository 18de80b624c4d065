import { UserError } from '../errors.js';
import { substitute, type Warn } from './template.js';
import type { VariableLookup } from './types.js';

/**
 * `.env` files as Docker Compose reads them (compose-go's dotenv format): `KEY=value`, `KEY: value`,
 * `export KEY=value`, single/double/unquoted values, ` #` comments, bare `KEY` inheriting from the lookup,
 * `${VAR}` expansion in unquoted and double-quoted values. The `raw` format is `docker run --env-file`'s.
 */

export interface EnvParseOptions {
  /** Names the file in error positions; without it errors say `line N: ...`. */
  file?: string;
  /** Receives "variable is not set" warnings from expansion. */
  warn?: Warn;
}

export type EnvFileParser = (text: string, lookup: VariableLookup, options?: EnvParseOptions) => Map<string, string>;

/** Parses dotenv text. `lookup` answers bare `KEY` lines and, before the file's own earlier keys, `${VAR}`s. */
export function parseDotEnv(text: string, lookup: VariableLookup, options: EnvParseOptions = {}): Map<string, string> {
  const values = new Map<string, string>();
  const expandWith: VariableLookup = (name) => lookup(name) ?? values.get(name);
  for (const statement of scanDotEnv(text, options.file)) {
    if (statement.kind === 'inherited') {
      const inherited = lookup(statement.key);
      if (inherited !== undefined) values.set(statement.key, inherited);
      continue;
    }
    values.set(statement.key, assignedValue(statement, expandWith, options));
  }
  return values;
}

/** `docker run --env-file` lines: `KEY=value` taken verbatim (quotes included), bare `KEY` from the lookup. */
export function parseRawEnv(text: string, lookup: VariableLookup, options: EnvParseOptions = {}): Map<string, string> {
  const values = new Map<string, string>();
  stripBom(text)
    .split('\n')
    .forEach((line, index) => {
      const entry = rawEntry(line, index + 1, options.file);
      const value = entry && (entry.value ?? lookup(entry.key));
      if (entry && value !== undefined) values.set(entry.key, value);
    });
  return values;
}

/** One raw `KEY=value` line; undefined for blank and comment lines, no `value` for a bare `KEY`. */
function rawEntry(rawLine: string, line: number, file: string | undefined): { key: string; value?: string } | undefined {
  const text = rawLine.replace(/\r$/, '').trimStart();
  if (text === '' || text.startsWith('#')) return undefined;
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  if (key === '') throw syntaxError(`no variable name on line '${text}'`, line, file);
  if (/\s/.test(key)) throw syntaxError(`variable '${key}' contains whitespaces`, line, file);
  return eq < 0 ? { key } : { key, value: text.slice(eq + 1) };
}

/** env_file `format:` values; compose-go's default is `dotenv`. */
export const ENV_FILE_FORMATS: Readonly<Record<string, EnvFileParser>> = {
  dotenv: parseDotEnv,
  raw: parseRawEnv,
};

export function parseEnvText(
  text: string,
  lookup: VariableLookup,
  options: EnvParseOptions & { format?: string } = {},
): Map<string, string> {
  const format = options.format || 'dotenv';
  const parser = Object.hasOwn(ENV_FILE_FORMATS, format) ? ENV_FILE_FORMATS[format] : undefined;
  if (!parser) throw new UserError(`unsupported env_file format ${JSON.stringify(format)}`, fileOnly(options.file));
  return parser(text, lookup, options);
}

// ---- dotenv statements ----

type Statement = { kind: 'inherited'; key: string; line: number } | Assignment;

/** `KEY=value`, with the value as written between (or without) its quotes. */
interface Assignment {
  kind: 'assign';
  key: string;
  line: number;
  quote: Quote;
  raw: string;
}

type Quote = '"' | "'" | '';

/** Splits dotenv text into statements, without expanding anything. */
function scanDotEnv(text: string, file: string | undefined): Statement[] {
  const scanner = new DotEnvScanner(stripBom(text), file);
  const statements: Statement[] = [];
  for (let s = scanner.next(); s; s = scanner.next()) statements.push(s);
  return statements;
}

/** Characters that separate words on a line (not line breaks), as compose-go's dotenv counts them. */
const INLINE_SPACE = new Set(['\t', '\v', '\f', '\r', ' ', '\u0085', '\u00a0']);
const EXPORT_PREFIX = /export[\t\v\f\r \u0085\u00a0]+/y;
const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;

class DotEnvScanner {
  private pos = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly file: string | undefined,
  ) {}

  /** The next statement, or undefined at the end of the text. */
  next(): Statement | undefined {
    if (!this.skipBlankAndComments()) return undefined;
    const line = this.line;
    this.skipExport();
    const { key, terminator } = this.readKey();
    if (/\s/.test(key)) this.fail('key cannot contain a space', line);
    if (terminator !== '=' && terminator !== ':') return { kind: 'inherited', key, line };
    this.skipInlineSpace();
    const quote = this.peekQuote();
    const raw = quote ? this.readQuoted(quote, line) : this.readUnquoted();
    return { kind: 'assign', key, line, quote, raw };
  }

  /** Moves to the first character of the next statement; false when none is left. */
  private skipBlankAndComments(): boolean {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.advance();
      if (this.pos >= this.text.length) return false;
      if (this.text[this.pos] !== '#') return true;
      while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.advance();
    }
  }

  private skipExport(): void {
    EXPORT_PREFIX.lastIndex = this.pos;
    if (EXPORT_PREFIX.test(this.text)) this.pos = EXPORT_PREFIX.lastIndex;
  }

  /** Reads the key up to `=`, `:` or the end of the line (a bare key inherits its value). */
  private readKey(): { key: string; terminator: string } {
    const start = this.pos;
    for (; this.pos < this.text.length; this.pos++) {
      const char = this.text[this.pos]!;
      if (char === '=' || char === ':' || char === '\n') {
        const key = this.text.slice(start, this.pos).trimEnd();
        this.advance();
        return { key, terminator: char };
      }
      if (!INLINE_SPACE.has(char) && !KEY_CHAR.test(char)) {
        const firstLine = this.text.slice(start).split('\n')[0]!;
        this.fail(`unexpected character ${JSON.stringify(char)} in variable name ${JSON.stringify(firstLine)}`, this.line);
      }
    }
    return { key: this.text.slice(start).trimEnd(), terminator: '' };
  }

  private skipInlineSpace(): void {
    while (this.pos < this.text.length && INLINE_SPACE.has(this.text[this.pos]!)) this.pos++;
  }

  private peekQuote(): Quote {
    const char = this.text[this.pos];
    return char === '"' || char === "'" ? char : '';
  }

  /** The rest of the line, cut at ` #` (an inline comment) and trimmed on the right. */
  private readUnquoted(): string {
    const newline = this.text.indexOf('\n', this.pos);
    const end = newline < 0 ? this.text.length : newline;
    const value = this.text.slice(this.pos, end);
    this.pos = end;
    const comment = value.indexOf(' #');
    return (comment < 0 ? value : value.slice(0, comment)).trimEnd();
  }

  /** The text between the quotes; `\<quote>` keeps the quote alone, any other `\x` stays as written. */
  private readQuoted(quote: '"' | "'", line: number): string {
    const start = this.pos;
    let value = '';
    for (this.advance(); this.pos < this.text.length; this.advance()) {
      const char = this.text[this.pos]!;
      if (char === quote) {
        this.advance();
        return value;
      }
      if (char !== '\\') value += char;
      else {
        this.advance();
        const escaped = this.text[this.pos] ?? '';
        value += escaped === quote ? quote : `\\${escaped}`;
      }
    }
    const firstLine = this.text.slice(start).split('\n')[0]!;
    return this.fail(`unterminated quoted value ${firstLine}`, line);
  }

  private advance(): void {
    if (this.text[this.pos] === '\n') this.line++;
    this.pos++;
  }

  private fail(message: string, line: number): never {
    throw syntaxError(message, line, this.file);
  }
}

// ---- values ----

/** Single quotes keep the text; double quotes expand escapes, then variables; unquoted values expand variables. */
function assignedValue(statement: Assignment, lookup: VariableLookup, options: EnvParseOptions): string {
  if (statement.quote === "'") return statement.raw;
  const text = statement.quote === '"' ? expandEscapes(statement.raw) : statement.raw;
  try {
    return substitute(text, lookup, options.warn);
  } catch (e) {
    if (e instanceof UserError && !e.position) throw syntaxError(e.message, statement.line, options.file);
    throw e;
  }
}

/** Shell (XSI echo) escapes understood inside double quotes; `\$` stays a literal dollar. */
const ESCAPE = /\\(?:([abfnrtv"\\$])|0([0-9]{0,3}))/g;
const ESCAPED_CHARS: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
  $: '$$', // `$$` is the template escape, so expansion turns it back into one `$`
};

function expandEscapes(text: string): string {
  return text.replace(ESCAPE, (_match, char: string | undefined, octal: string | undefined) =>
    char !== undefined ? ESCAPED_CHARS[char]! : octalChar(octal ?? ''),
  );
}

/** `\0ooo`: three octal digits make one byte; anything shorter or larger is left as `\` + digits (as compose-go). */
function octalChar(digits: string): string {
  const code = digits.length === 3 && /^[0-7]+$/.test(digits) ? parseInt(digits, 8) : NaN;
  return code <= 0xff ? String.fromCharCode(code) : `\\${digits}`;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function syntaxError(message: string, line: number, file: string | undefined): UserError {
  return file === undefined ? new UserError(`line ${line}: ${message}`) : new UserError(message, { file, line });
}

function fileOnly(file: string | undefined): { file: string } | undefined {
  return file === undefined ? undefined : { file };
}
