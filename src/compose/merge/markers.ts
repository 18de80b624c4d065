import { isDict, isOverride, isReset } from '../types.js';

/**
 * Resolves `!reset` / `!override` markers left in a value that has nothing under it to merge with:
 * a reset entry disappears, an override is its plain value. Returns a fresh copy free of markers.
 */
export function stripMarkers(value: unknown): unknown {
  if (isOverride(value)) return stripMarkers(value.value);
  if (Array.isArray(value)) return value.filter((item) => !isReset(item)).map(stripMarkers);
  if (!isDict(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!isReset(child)) out[key] = stripMarkers(child);
  }
  return out;
}
