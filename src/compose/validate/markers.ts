import { isDict, isOverride, isReset, type ModelPath } from '../types.js';

/**
 * `!reset` and `!override` are merge instructions, valid wherever they appear. Validation sees the file as it
 * would read without them: a reset value is left out, an overridden value is checked as the value it holds.
 */
export interface Unmarked {
  /** The data without markers. */
  value: unknown;
  /** Translates a path into `value` back to the same place in the original data (list items may have shifted). */
  originalPath(path: ModelPath): ModelPath;
}

export function withoutMarkers(data: unknown): Unmarked {
  const sourceIndexes = new WeakMap<unknown[], number[]>();
  const value = unmark(data, sourceIndexes);
  return { value, originalPath: (path) => translate(value, path, sourceIndexes) };
}

function unmark(value: unknown, sourceIndexes: WeakMap<unknown[], number[]>): unknown {
  if (isOverride(value)) return unmark(value.value, sourceIndexes);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    const indexes: number[] = [];
    value.forEach((item, index) => {
      if (isReset(item)) return;
      items.push(unmark(item, sourceIndexes));
      indexes.push(index);
    });
    sourceIndexes.set(items, indexes);
    return items;
  }
  if (isDict(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (!isReset(item)) out[key] = unmark(item, sourceIndexes);
    return out;
  }
  return value;
}

function translate(root: unknown, path: ModelPath, sourceIndexes: WeakMap<unknown[], number[]>): ModelPath {
  const out: (string | number)[] = [];
  let node: unknown = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') {
      out.push(sourceIndexes.get(node)?.[segment] ?? segment);
      node = node[segment];
    } else {
      out.push(segment);
      node = isDict(node) ? node[String(segment)] : undefined;
    }
  }
  return out;
}
