import { isOverride, isReset, type Dict, type ModelPath } from '../types.js';
import { stripMarkers } from './markers.js';
import { MERGE_RULES, mergeByShape } from './rules.js';
import { enforceUnicity } from './unicity.js';

/**
 * Merges canonical compose models left to right, as Compose merges `-f a.yaml -f b.yaml`: mappings merge,
 * sequences append, scalars are replaced, with per-attribute exceptions (see rules.ts). `!reset` removes a value,
 * `!override` replaces it whole. Sequences of ports, volumes, secrets... are then made unique by their key.
 * The result holds no markers.
 */
export function mergeFiles(files: Dict[]): Dict {
  const merged = files.reduce<Dict>((acc, file) => mergeValue(acc, file, []) as Dict, {});
  return enforceUnicity(merged, []) as Dict;
}

/** Merges one service over another (for `extends`), with the same rules as files. */
export function mergeService(base: Dict, override: Dict): Dict {
  // A placeholder service name: every rule matches `services.*.…`.
  const path: ModelPath = ['services', ''];
  const merged = mergeValue(stripMarkers(base), override, path);
  return enforceUnicity(merged, path) as Dict;
}

/** The general merge: markers first, then the rule for this path, else the default by shape. */
function mergeValue(base: unknown, override: unknown, path: ModelPath): unknown {
  if (isReset(override)) return undefined;
  if (isOverride(override)) return stripMarkers(override.value);
  if (base === undefined || base === null) return stripMarkers(override);
  const rule = MERGE_RULES.lookup(path);
  if (rule) return rule(base, override, path, mergeValue);
  // An override that says nothing (`networks:` left empty) keeps what the base had.
  if (override === null) return base;
  return mergeByShape(base, override, path, mergeValue);
}
