import { isDeepStrictEqual } from 'node:util';
import { isDict } from '../../src/compose/types.js';

/** The first place where `actual` lacks or differs from what `expected` holds (undefined when it contains it all). */
export function firstMissing(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (isDict(expected)) {
    if (!isDict(actual)) return `${path || '.'}: expected a mapping, got ${JSON.stringify(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const miss = firstMissing(value, actual[key], `${path}.${key}`);
      if (miss) return miss;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const miss = firstMissing(expected[i], actual[i], `${path}[${i}]`);
      if (miss) return miss;
    }
    return undefined;
  }
  return isDeepStrictEqual(expected, actual) ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** Exact equality as data, with the first difference named. */
export function firstDifference(expected: unknown, actual: unknown): string | undefined {
  return firstMissing(expected, actual) ?? firstMissing(actual, expected)?.replace(/expected (.*), got (.*)$/, 'unexpected $1 (expected $2)');
}
