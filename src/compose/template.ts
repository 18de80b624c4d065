import { UserError } from '../errors.js';
import type { VariableLookup } from './types.js';

/**
 * Compose's variable templates: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`,
 * `${VAR+alt}`, `${VAR:?message}`, `${VAR?message}`, and `$$` for a literal `$`.
 * A template is parsed once into parts, then evaluated; the argument of a modifier is itself a template,
 * evaluated only when it is used (so an unused default neither warns nor fails).
 */

/** A `${...}` or `$NAME` reference. */
export interface VariableRef {
  name: string;
  /** `:-`, `-`, `:+`, `+`, `:?` or `?`; absent for a bare reference. */
  modifier?: Modifier;
  /** The modifier's argument (default, alternative or error message), itself a template. */
  arg: TemplatePart[];
  /** The argument's source text, as `config --variables` prints defaults. */
  argSource: string;
}

export type TemplatePart = string | VariableRef;

export type Modifier = ':-' | '-' | ':+' | '+' | ':?' | '?';

export type Warn = (message: string) => void;

/** The template text could not be parsed (`${`, `${ foo}`, `${foo!}` ...). */
export class InvalidTemplateError extends UserError {
  constructor(readonly template: string) {
    super(`Invalid template: ${JSON.stringify(template)}`);
    this.name = 'InvalidTemplateError';
  }
}

/** `${VAR:?msg}` / `${VAR?msg}` met an unset (or empty) variable. */
export class MissingRequiredError extends UserError {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`required variable ${variable} is missing a value${reason ? `: ${reason}` : ''}`);
    this.name = 'MissingRequiredError';
  }
}

/** Replaces the variables in `template`; unset plain references become '' and are reported through `warn`. */
export function substitute(template: string, lookup: VariableLookup, warn?: Warn): string {
  if (!template.includes('$')) return template;
  return evaluate(parseTemplate(template), { lookup, warn });
}

/** Every variable a template refers to, nested ones included, in order of appearance. */
export function variablesOf(template: string): VariableRef[] {
  const found: VariableRef[] = [];
  const walk = (parts: TemplatePart[]): void => {
    for (const part of parts) {
      if (typeof part === 'string') continue;
      found.push(part);
      walk(part.arg);
    }
  };
  walk(parseTemplate(template));
  return found;
}

// ---- parsing ----

const NAME = /[_a-zA-Z][_a-zA-Z0-9]*/y;
const MODIFIER = /:?[-+?]/y;

/** Splits a template into literal text and variable references; throws InvalidTemplateError. */
export function parseTemplate(template: string): TemplatePart[] {
  try {
    return parseParts(template);
  } catch (e) {
    if (e === INVALID) throw new InvalidTemplateError(template);
    throw e;
  }
}

/** Thrown inside the parser; parseTemplate turns it into an error naming the whole template. */
const INVALID = Symbol('invalid template');

function parseParts(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    literal += text.slice(i, dollar);
    const token = parseDollar(text, dollar);
    if (typeof token.part === 'string') literal += token.part;
    else {
      if (literal) parts.push(literal);
      parts.push(token.part);
      literal = '';
    }
    i = token.end;
  }
  literal += text.slice(i);
  if (literal) parts.push(literal);
  return parts;
}

interface Token {
  part: TemplatePart;
  end: number;
}

/** Reads what follows the `$` at `at`: an escape, a name, a braced reference, or nothing (a lone `$`). */
function parseDollar(text: string, at: number): Token {
  const next = text[at + 1];
  if (next === '$') return { part: '$', end: at + 2 };
  if (next === '{') return parseBraced(text, at);
  const name = matchAt(NAME, text, at + 1);
  if (name) return { part: { name, arg: [], argSource: '' }, end: at + 1 + name.length };
  return { part: '$', end: at + 1 };
}

function parseBraced(text: string, at: number): Token {
  const close = closingBrace(text, at + 1);
  if (close < 0) throw INVALID;
  const body = text.slice(at + 2, close);
  const name = matchAt(NAME, body, 0);
  if (!name) throw INVALID;
  const end = close + 1;
  if (name.length === body.length) return { part: { name, arg: [], argSource: '' }, end };
  const modifier = matchAt(MODIFIER, body, name.length) as Modifier | undefined;
  if (!modifier) throw INVALID;
  const argSource = body.slice(name.length + modifier.length);
  return { part: { name, modifier, arg: parseParts(argSource), argSource }, end };
}

/** Index of the `}` that closes the `{` at `open`, counting nested braces; -1 when unbalanced. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

// ---- evaluation ----

interface Context {
  lookup: VariableLookup;
  warn: Warn | undefined;
}

function evaluate(parts: TemplatePart[], ctx: Context): string {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : resolve(part, ctx);
  return out;
}

function resolve(ref: VariableRef, ctx: Context): string {
  const value = ctx.lookup(ref.name);
  if (ref.modifier) return MODIFIERS[ref.modifier](value, () => evaluate(ref.arg, ctx), ref.name);
  if (value === undefined) ctx.warn?.(`The ${JSON.stringify(ref.name)} variable is not set. Defaulting to a blank string.`);
  return value ?? '';
}

type ModifierRule = (value: string | undefined, arg: () => string, name: string) => string;

/** What each modifier yields; a leading `:` also treats an empty value as unset. */
const MODIFIERS: Record<Modifier, ModifierRule> = {
  ':-': (value, arg) => (value ? value : arg()),
  '-': (value, arg) => value ?? arg(),
  ':+': (value, arg) => (value ? arg() : ''),
  '+': (value, arg) => (value !== undefined ? arg() : ''),
  ':?': (value, arg, name) => value || missing(name, arg()),
  '?': (value, arg, name) => value ?? missing(name, arg()),
};

function missing(name: string, reason: string): never {
  throw new MissingRequiredError(name, reason);
}
