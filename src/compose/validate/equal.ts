import { isDict } from '../types.js';

/** Structural equality of plain data as JSON schema's `uniqueItems` sees it (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (!isDict(a) || !isDict(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}

/** The indexes `[first, repeat]` of the first item that repeats an earlier one, if any. */
export function firstDuplicate(items: readonly unknown[]): [number, number] | undefined {
  for (let j = 1; j < items.length; j++) {
    for (let i = 0; i < j; i++) if (deepEqual(items[i], items[j])) return [i, j];
  }
  return undefined;
}
