import { UserError } from '../../errors.js';
import { CASTS_BY_PATH, type Cast } from './casts.js';
import { InvalidTemplateError, substitute, type Warn } from '../template.js';
import {
  isDict,
  isOverride,
  isReset,
  OVERRIDE_TAG,
  type Dict,
  type Locator,
  type ModelPath,
  type OverrideValue,
  type VariableLookup,
} from '../types.js';
import { compareText } from '../../util/compare-text.js';

/**
 * The interpolation phase: replaces `${VAR}` templates in every string value of a compose file
 * (keys are left alone), then converts strings at typed paths (see casts.ts).
 * Every failing value is reported, sorted by path, in one error.
 */

export interface InterpolateOptions {
  lookup: VariableLookup;
  /** Receives "variable is not set" and legacy-boolean warnings. */
  warn?: Warn;
  /** Points the error at the first failing value. */
  locate?: Locator;
  /** Names the file in the error when `locate` cannot place it. */
  file?: string;
}

export function interpolateModel(data: Dict, options: InterpolateOptions): Dict {
  const failures: Failure[] = [];
  const result = walk(data, [], { ...options, failures }) as Dict;
  if (failures.length > 0) throw combined(failures, options);
  return result;
}

interface Failure {
  path: ModelPath;
  message: string;
}

interface Walk extends InterpolateOptions {
  failures: Failure[];
}

function walk(value: unknown, path: ModelPath, ctx: Walk): unknown {
  if (typeof value === 'string') return interpolateString(value, path, ctx);
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i], ctx));
  if (isReset(value)) return value;
  if (isOverride(value)) return overrideOf(walk(value.value, path, ctx));
  if (isDict(value)) return mapValues(value, (child, key) => walk(child, [...path, key], ctx));
  return value;
}

function interpolateString(value: string, path: ModelPath, ctx: Walk): unknown {
  try {
    const text = substitute(value, ctx.lookup, ctx.warn);
    const cast = castFor(path);
    return cast ? castValue(cast, text, ctx.warn) : text;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    ctx.failures.push({ path, message: failureMessage(e, path) });
    return value;
  }
}

function castValue(cast: Cast, text: string, warn: Warn | undefined): unknown {
  try {
    return cast(text, warn);
  } catch (e) {
    throw new UserError(`failed to cast to expected type: ${(e as Error).message}`);
  }
}

/** Compose's wording, so scripts and users see the same messages as with docker compose. */
function failureMessage(error: UserError, path: ModelPath): string {
  const where = renderPath(path);
  if (error instanceof InvalidTemplateError) {
    return `invalid interpolation format for ${where}.\nYou may need to escape any $ with another $.\n${error.template}`;
  }
  return `error while interpolating ${where}: ${error.message}`;
}

function combined(failures: Failure[], options: InterpolateOptions): UserError {
  const sorted = [...failures].sort((a, b) => compareText(renderPath(a.path), renderPath(b.path)));
  const first = sorted[0]!.path;
  const position = options.locate?.(first) ?? (options.file === undefined ? undefined : { file: options.file });
  return new UserError(sorted.map((f) => f.message).join('\n'), position);
}

/** `services.web.ports.[].target`: list items print as `[]`, as compose-go names paths. */
export function renderPath(path: ModelPath): string {
  return path.map((segment) => (typeof segment === 'number' ? '[]' : segment)).join('.');
}

// ---- typed paths ----

const CAST_PATTERNS = Object.entries(CASTS_BY_PATH).map(([pattern, cast]) => ({ segments: pattern.split('.'), cast }));

function castFor(path: ModelPath): Cast | undefined {
  return CAST_PATTERNS.find((p) => matchesPattern(path, p.segments))?.cast;
}

/** `*` matches any mapping key or list index (as in normalize/tree.ts), anything else itself. */
function matchesPattern(path: ModelPath, segments: readonly string[]): boolean {
  return path.length === segments.length && segments.every((want, i) => want === '*' || want === path[i]);
}

// ---- helpers ----

function overrideOf(value: unknown): OverrideValue {
  return { [OVERRIDE_TAG]: true, value };
}

function mapValues(dict: Dict, fn: (value: unknown, key: string) => unknown): Dict {
  const out: Dict = {};
  // defineProperty, not assignment: a `__proto__` key in YAML must stay a plain key
  for (const [key, value] of Object.entries(dict)) {
    Object.defineProperty(out, key, { value: fn(value, key), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
