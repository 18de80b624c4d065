import * as z from 'zod';
import { isDict } from '../types.js';
import { firstDuplicate } from './equal.js';

/**
 * Building blocks that give zod the semantics of the JSON-schema keywords compose-spec.json uses:
 * `properties` (all optional unless `required`), `additionalProperties: false`, `patternProperties`
 * (including the `^x-` extension keys) and `uniqueItems`.
 */

type Shape = Record<string, z.ZodType>;

interface ObjectOptions {
  /** Keys that must be present (JSON schema `required`). */
  required?: readonly string[];
}

/** The key pattern of extension fields, allowed with any value where the schema says so. */
export const EXTENSION_KEY = /^x-/u;

/** The key pattern compose-spec.json uses for service, volume, network, secret, config and model names. */
export const NAME_KEY = /^[a-zA-Z0-9._-]+$/u;

/** JSON schema `^.+$` / `.+`: any non-empty key (unanchored `.` still cannot match a line break alone). */
export const ANY_KEY = /.+/u;

/** Raised by our own checks for a key the schema does not allow; the message layer reads `params.unknownKey`. */
export interface UnknownKeyParams {
  unknownKey: string;
}

/** Raised by `uniqueList` for a repeated item; the message layer reads `params.duplicateOf`. */
export interface DuplicateParams {
  duplicateOf: number;
}

/** Our refinements must run even after other issues, so every problem in an object is seen. */
const ALWAYS = { when: () => true };

function withOptionals(shape: Shape, required: readonly string[] = []): Shape {
  const out: Shape = {};
  for (const [key, schema] of Object.entries(shape)) out[key] = required.includes(key) ? schema : schema.optional();
  return out;
}

/** Reports keys outside `shape` unless `allowed` matches them. */
function rejectOtherKeys(shape: Shape, allowed?: RegExp) {
  return (value: unknown, ctx: z.RefinementCtx): void => {
    if (!isDict(value)) return;
    for (const key of Object.keys(value)) {
      if (Object.hasOwn(shape, key) || allowed?.test(key)) continue;
      const params: UnknownKeyParams = { unknownKey: key };
      ctx.addIssue({ code: 'custom', message: `additional property '${key}' is not allowed`, params });
    }
  };
}

/** A mapping with known keys plus `x-*` extensions, nothing else (`additionalProperties: false` + `^x-`). */
export function extensible(shape: Shape, options: ObjectOptions = {}): z.ZodType {
  return z
    .object(withOptionals(shape, options.required))
    .catchall(z.unknown())
    .superRefine(rejectOtherKeys(shape, EXTENSION_KEY), ALWAYS);
}

/** A mapping with known keys only (`additionalProperties: false`, no extensions). */
export function closed(shape: Shape, options: ObjectOptions = {}): z.ZodType {
  return z
    .object(withOptionals(shape, options.required))
    .catchall(z.unknown())
    .superRefine(rejectOtherKeys(shape), ALWAYS);
}

/** A mapping whose known keys are checked and whose other keys may hold anything. */
export function open(shape: Shape, options: ObjectOptions = {}): z.ZodType {
  return z.looseObject(withOptionals(shape, options.required));
}

/** Every key must match `pattern` and hold a `value` (`patternProperties` + `additionalProperties: false`). */
export function closedMap(pattern: RegExp, value: z.ZodType): z.ZodType {
  return z.record(z.string().regex(pattern), value);
}

/** Keys matching `pattern` hold a `value`; other keys may hold anything (`patternProperties` alone). */
export function openMap(pattern: RegExp, value: z.ZodType): z.ZodType {
  return z.looseRecord(z.string().regex(pattern), value);
}

/** A list (`type: array`). */
export function list(item: z.ZodType): z.ZodType {
  return z.array(item);
}

/** A list without repeated items (`uniqueItems: true`, deep equality as in JSON schema). */
export function uniqueList(item: z.ZodType): z.ZodType {
  return z.array(item).superRefine((items, ctx) => {
    if (!Array.isArray(items)) return;
    const pair = firstDuplicate(items);
    if (!pair) return;
    const params: DuplicateParams = { duplicateOf: pair[0] };
    ctx.addIssue({ code: 'custom', message: `duplicate of item ${pair[0]}`, path: [pair[1]], params });
  }, ALWAYS);
}

/** Exactly one of several disjoint alternatives (`oneOf`, or a `type` list). */
export function oneOf(...options: [z.ZodType, z.ZodType, ...z.ZodType[]]): z.ZodType {
  return z.union(options);
}

// Scalars, named after the JSON schema types. `number` and `integer` are finite as in JSON schema validators.
export const string = z.string();
export const number = z.number();
export const integer = z.int();
export const boolean = z.boolean();
export const nullValue = z.null();
export const anyObject = z.looseObject({});

/** `type: [boolean, string]`: the many flags that may also hold an unresolved string. */
export const booleanOrString = oneOf(boolean, string);
export const numberOrString = oneOf(number, string);
export const integerOrString = oneOf(integer, string);

/** A string that contains a match for `pattern` (JSON schema patterns are not anchored). */
export function matching(pattern: RegExp): z.ZodType {
  return z.string().regex(pattern);
}

/** A string from a fixed set (`enum`). */
export function oneOfValues(values: readonly [string, ...string[]]): z.ZodType {
  return z.enum(values);
}
