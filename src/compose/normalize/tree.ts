import { isDict, type Dict } from '../types.js';

/**
 * Copies plain mappings and lists so a phase can edit its result without touching its input.
 * Objects carrying symbol keys (the `!reset`/`!override` markers) are shared, not copied: they are values.
 */
export function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneData(v)) as T;
  if (isDict(value) && Object.getOwnPropertySymbols(value).length === 0) {
    const copy: Dict = {};
    for (const [k, v] of Object.entries(value)) copy[k] = cloneData(v);
    return copy as T;
  }
  return value;
}

/** Where a pattern matched: the container and the key (or index) holding the value. */
export interface Slot {
  parent: Dict | unknown[];
  key: string | number;
  value: unknown;
}

/**
 * Every slot matching a dotted pattern: `services.*.volumes.*` (`*` is any mapping key or list index).
 * Missing intermediate nodes simply match nothing.
 */
export function matchSlots(root: Dict, pattern: string): Slot[] {
  let frontier: Slot[] = [{ parent: [root], key: 0, value: root }];
  for (const segment of pattern.split('.')) {
    const next: Slot[] = [];
    for (const { value } of frontier) next.push(...childSlots(value, segment));
    frontier = next;
  }
  return frontier;
}

function childSlots(node: unknown, segment: string): Slot[] {
  if (Array.isArray(node)) {
    if (segment !== '*') return [];
    return node.map((value, key) => ({ parent: node, key, value }));
  }
  if (!isDict(node)) return [];
  if (segment === '*') return Object.entries(node).map(([key, value]) => ({ parent: node, key, value }));
  return segment in node ? [{ parent: node, key: segment, value: node[segment] }] : [];
}

/** Writes a new value into a slot found by matchSlots. */
export function setSlot(slot: Slot, value: unknown): void {
  (slot.parent as Record<string | number, unknown>)[slot.key] = value;
}

/** The services mapping of a model (an empty one when absent). */
export function servicesOf(model: Dict): Dict {
  return isDict(model.services) ? model.services : {};
}

/** Each service as a mapping; skips non-mapping entries, which validation already reported. */
export function eachService(model: Dict): Array<[string, Dict]> {
  return Object.entries(servicesOf(model)).filter((e): e is [string, Dict] => isDict(e[1]));
}
