import type { SourcePosition } from '../errors.js';

/** A YAML mapping as plain data, before or after any loader phase. */
export type Dict = Record<string, unknown>;

/** A path into a model: `['services', 'web', 'ports', 0]`. */
export type ModelPath = ReadonlyArray<string | number>;

/** Finds the position of a path in the file it was parsed from (undefined when unknown). */
export type Locator = (path: ModelPath) => SourcePosition | undefined;

/** Looks a variable up for interpolation; undefined means unset. */
export type VariableLookup = (name: string) => string | undefined;

/** One compose file after parsing: its data and how to point back into it. */
export interface ParsedFile {
  file: string;
  data: Dict;
  locate: Locator;
}

export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Marker values for the `!reset` and `!override` YAML tags (see src/compose/parse.ts). */
export const RESET_TAG = Symbol.for('tscompose.reset');
export const OVERRIDE_TAG = Symbol.for('tscompose.override');

/** A value tagged `!override`: replaces instead of merging. */
export interface OverrideValue {
  [OVERRIDE_TAG]: true;
  value: unknown;
}

/** A value tagged `!reset`: removes the key from the merged result. */
export interface ResetValue {
  [RESET_TAG]: true;
}

export function isReset(v: unknown): v is ResetValue {
  return typeof v === 'object' && v !== null && RESET_TAG in v;
}

export function isOverride(v: unknown): v is OverrideValue {
  return typeof v === 'object' && v !== null && OVERRIDE_TAG in v;
}
