/**
 * Docker's volume filters. `ls`: name, driver, label (key or key=value), dangling. `prune`: label, label!, all.
 * Different keys AND together; values of one key OR together (label values AND, as in Docker).
 */
import { UserError } from '../errors.js';
import { isAnonymous, type VolumeRecord } from './types.js';

export type VolumeFilters = Map<string, string[]>;

/** What a filter needs to know beyond the record. */
export interface FilterContext {
  inUse: (name: string) => boolean;
}

type Predicate = (volume: VolumeRecord, values: string[], ctx: FilterContext) => boolean;

const LIST_FILTERS: Record<string, Predicate> = {
  name: (v, values) => values.some((value) => matchesName(v.name, value)),
  driver: (v, values) => values.includes(v.driver),
  label: (v, values) => values.every((value) => hasLabel(v, value)),
  dangling: (v, values, ctx) => values.some((value) => parseBool('dangling', value) === !ctx.inUse(v.name)),
};

const PRUNE_FILTERS: Record<string, Predicate> = {
  label: LIST_FILTERS.label!,
  'label!': (v, values) => values.every((value) => !hasLabel(v, value)),
  // handled by `pruneCandidates`: anonymous only unless all=true
  all: () => true,
};

export function matchListFilters(volume: VolumeRecord, filters: VolumeFilters, ctx: FilterContext): boolean {
  return matchAll(LIST_FILTERS, volume, filters, ctx);
}

/** Unused volumes that `prune` removes with these filters: anonymous ones only unless `all` is true. */
export function isPruneCandidate(volume: VolumeRecord, filters: VolumeFilters, ctx: FilterContext): boolean {
  if (ctx.inUse(volume.name)) return false;
  const all = (filters.get('all') ?? []).some((value) => parseBool('all', value));
  if (!all && !isAnonymous(volume)) return false;
  return matchAll(PRUNE_FILTERS, volume, filters, ctx);
}

function matchAll(table: Record<string, Predicate>, volume: VolumeRecord, filters: VolumeFilters, ctx: FilterContext): boolean {
  for (const [key, values] of filters) {
    const predicate = table[key];
    if (!predicate) throw new UserError(`invalid filter '${key}'`);
    if (values.length > 0 && !predicate(volume, values, ctx)) return false;
  }
  return true;
}

/** Docker matches names as a regular expression (a plain word is a substring match). */
function matchesName(name: string, pattern: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return name.includes(pattern);
  }
}

function hasLabel(volume: VolumeRecord, filter: string): boolean {
  const at = filter.indexOf('=');
  if (at < 0) return filter in volume.labels;
  return volume.labels[filter.slice(0, at)] === filter.slice(at + 1);
}

function parseBool(key: string, value: string): boolean {
  if (['true', '1'].includes(value.toLowerCase())) return true;
  if (['false', '0'].includes(value.toLowerCase())) return false;
  throw new UserError(`invalid filter '${key}=${value}'`);
}
