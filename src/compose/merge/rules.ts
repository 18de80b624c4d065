import { UserError } from '../../errors.js';
import { describePath, patternTable } from '../canonical/path-pattern.js';
import { isDict, isReset, type Dict, type ModelPath } from '../types.js';
import { stripMarkers } from './markers.js';

/**
 * Merges an override value over a base value at `path`. The base is always free of markers; the override may
 * still hold `!reset` / `!override` markers below it. `merge` is the general merge, for recursion.
 * A result of `undefined` means "remove the key".
 */
export type MergeRule = (base: unknown, override: unknown, path: ModelPath, merge: MergeFn) => unknown;
export type MergeFn = (base: unknown, override: unknown, path: ModelPath) => unknown;

/** The override replaces the base whole: command lines and the like are never spliced together. */
const replace: MergeRule = (_base, override) => stripMarkers(override);

/** KEY=VALUE mappings (environment, labels, ...): key by key, and an override's `null` (unset) wins too. */
const byKey: MergeRule = (base, override, path) => {
  if (!isDict(base) || !isDict(override)) return override === null ? base : stripMarkers(override);
  return mergeMappings(base, override, path, (_b, value) => stripMarkers(value));
};

/** extra_hosts allows a host twice (several addresses): only exact repeats are dropped. */
const appendNew: MergeRule = (base, override) => {
  if (!Array.isArray(base) || !Array.isArray(override)) return override === null ? base : stripMarkers(override);
  const added = stripMarkers(override) as unknown[];
  return [...base, ...added.filter((item) => !base.includes(item))];
};

/** Logging options merge only when both sides name the same driver (or one names none). */
const logging: MergeRule = (base, override, path, merge) => {
  if (!isDict(base) || !isDict(override)) return override === null ? base : stripMarkers(override);
  const sameDriver = base.driver === undefined || override.driver === undefined || base.driver === override.driver;
  return sameDriver ? mergeMappings(base, override, path, merge) : stripMarkers(override);
};

/** IPAM pools are matched by subnet: a pool for the same subnet merges into the base one, others are added. */
const ipamPools: MergeRule = (base, override, path, merge) => {
  if (!Array.isArray(base) || !Array.isArray(override)) return override === null ? base : stripMarkers(override);
  const pools = [...base];
  for (const pool of override) {
    if (isReset(pool)) continue;
    const at = pools.findIndex((p) => isDict(p) && isDict(pool) && p.subnet === pool.subnet);
    if (at < 0) pools.push(stripMarkers(pool));
    else pools[at] = merge(pools[at], pool, [...path, at]);
  }
  return pools;
};

/** Attributes whose merge differs from the defaults (mappings merge by key, sequences append, scalars: override). */
export const MERGE_RULES = patternTable<MergeRule>({
  'services.*.annotations': byKey,
  'services.*.build.additional_contexts': byKey,
  'services.*.build.args': byKey,
  'services.*.build.extra_hosts': appendNew,
  'services.*.build.labels': byKey,
  'services.*.build.ulimits.*': replace,
  'services.*.command': replace,
  'services.*.deploy.labels': byKey,
  'services.*.entrypoint': replace,
  'services.*.environment': byKey,
  'services.*.extra_hosts': appendNew,
  'services.*.healthcheck.test': replace,
  'services.*.labels': byKey,
  'services.*.logging': logging,
  'services.*.sysctls': byKey,
  'services.*.ulimits.*': replace,
  'services.*.volumes.*.volume.labels': byKey,
  'networks.*.ipam.config': ipamPools,
  'networks.*.labels': byKey,
  'volumes.*.labels': byKey,
  'secrets.*.labels': byKey,
  'configs.*.labels': byKey,
  'models.*.runtime_flags': replace,
});

/** Two mappings: each key of the override merges into the base's (a `!reset` key is removed). */
export function mergeMappings(base: Dict, override: Dict, path: ModelPath, merge: MergeFn): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const merged = isReset(value) ? undefined : key in base ? merge(base[key], value, [...path, key]) : stripMarkers(value);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

/** The default when no rule applies: mappings merge, sequences append, anything else is replaced. */
export function mergeByShape(base: unknown, override: unknown, path: ModelPath, merge: MergeFn): unknown {
  if (isDict(base)) {
    if (!isDict(override)) throw new UserError(`cannot override ${describePath(path)}: a mapping cannot be replaced by ${kind(override)}`);
    return mergeMappings(base, override, path, merge);
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(override)) throw new UserError(`cannot override ${describePath(path)}: a sequence cannot be replaced by ${kind(override)}`);
    return [...base, ...(stripMarkers(override) as unknown[])];
  }
  return stripMarkers(override);
}

function kind(value: unknown): string {
  return Array.isArray(value) ? 'a sequence' : isDict(value) ? 'a mapping' : `the value ${JSON.stringify(value)}`;
}
