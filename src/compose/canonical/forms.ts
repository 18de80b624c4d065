import { UserError } from '../../errors.js';
import { isDict, type Dict, type ModelPath } from '../types.js';
import { describePath } from './path-pattern.js';

/** The small short-syntax → long-syntax rewrites, one per attribute. Each is pure and leaves long forms alone. */

/** `dns: 8.8.8.8` → `[8.8.8.8]`. */
export function stringToList(value: unknown): unknown {
  return typeof value === 'string' ? [value] : value;
}

/** `expose: [3000, "4000/udp"]` → strings, as Compose prints them. */
export function exposeAsText(value: unknown): unknown {
  if (!Array.isArray(value)) return stringToList(typeof value === 'number' ? String(value) : value);
  return value.map((v) => (typeof v === 'number' ? String(v) : v));
}

/** A list of names → a mapping of name → `defaults` (a fresh copy each), for networks, models and depends_on. */
function namesToMapping(defaults: () => Dict | null): (value: unknown) => unknown {
  return (value) => {
    if (!Array.isArray(value)) return value;
    return Object.fromEntries(value.map((name) => [String(name), defaults()]));
  };
}

export const serviceNetworks = namesToMapping(() => null);
export const serviceModels = namesToMapping(() => null);

const dependencyDefaults = (): Dict => ({ condition: 'service_started', required: true });

/** `depends_on: [db]` → `{db: {condition: service_started, required: true}}`; long entries get the same defaults. */
export function dependsOn(value: unknown): unknown {
  const mapping = namesToMapping(dependencyDefaults)(value);
  if (!isDict(mapping)) return mapping;
  const filled = (entry: unknown): unknown => (isDict(entry) ? { ...dependencyDefaults(), ...entry } : entry);
  return Object.fromEntries(Object.entries(mapping).map(([name, entry]) => [name, filled(entry)]));
}

/** `env_file: a.env` / `[a.env]` → `[{path: a.env, required: true}]`. */
export function envFiles(value: unknown): unknown {
  const list = stringToList(value);
  if (!Array.isArray(list)) return list;
  return list.map((entry) => {
    if (typeof entry === 'string') return { path: entry, required: true };
    if (isDict(entry) && !('required' in entry)) return { ...entry, required: true };
    return entry;
  });
}

/** A secret or config reference: `name` → `{source: name}`. */
export function fileMount(value: unknown): unknown {
  return typeof value === 'string' ? { source: value } : value;
}

/** `build: ./dir` → `{context: ./dir}`. */
export function build(value: unknown): unknown {
  return typeof value === 'string' ? { context: value } : value;
}

/** `extends: base` → `{service: base}`. */
export function extendsRef(value: unknown): unknown {
  return typeof value === 'string' ? { service: value } : value;
}

/** `gpus: all` → `[{count: all}]`. */
export function gpus(value: unknown): unknown {
  return typeof value === 'string' ? [{ count: 'all' }] : value;
}

/** `/dev/sda:/dev/xvda:rwm` → `{source, target, permissions}` (target defaults to the source, permissions to rwm). */
export function device(value: unknown, path: ModelPath): unknown {
  if (typeof value !== 'string') return value;
  const parts = value.split(':');
  if (parts.length > 3) throw new UserError(`${describePath(path)}: confusing device mapping, please use long syntax: ${value}`);
  const [source = '', target = '', permissions = 'rwm'] = parts;
  return { source, target: target || source, permissions };
}

/**
 * `build.ssh`: a list of `id` / `id=path` strings, the form `docker compose config` prints; the mapping form
 * (`{default: null, key: /path}`) is written the same way. Merge keeps one entry per id.
 */
export function buildSsh(value: unknown, path: ModelPath): unknown {
  const entries = isDict(value)
    ? Object.entries(value).map(([id, keyPath]) => (keyPath === null || keyPath === undefined ? id : `${id}=${String(keyPath)}`))
    : value;
  if (!Array.isArray(entries)) return entries;
  for (const entry of entries) {
    if (typeof entry === 'string' && !entry.includes('=') && entry !== 'default') {
      throw new UserError(`${describePath(path)}: invalid ssh key "${entry}"`);
    }
  }
  return entries;
}

/** `develop.watch` entries with a list of paths become one entry per path. */
export function watchRules(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.flatMap((rule) => {
    if (!isDict(rule) || !Array.isArray(rule.path)) return [rule];
    return rule.path.map((p) => ({ ...rule, path: p }));
  });
}

/** `include: [a.yaml]` → `[{path: [a.yaml]}]`; `path` and `env_file` are always lists. */
export function includeEntry(value: unknown): unknown {
  if (typeof value === 'string') return { path: [value] };
  if (!isDict(value)) return value;
  const out: Dict = { ...value };
  if ('path' in out) out.path = stringToList(out.path);
  if ('env_file' in out) out.env_file = stringToList(out.env_file);
  return out;
}

/**
 * Top-level networks/volumes/secrets/configs: `external: {name: x}` (deprecated) → `external: true` + `name: x`.
 */
export function maybeExternal(value: unknown, path: ModelPath): unknown {
  if (!isDict(value) || !isDict(value.external)) return value;
  const externalName = value.external.name;
  const out: Dict = { ...value, external: true };
  if (externalName === undefined) return out;
  if (value.name !== undefined && value.name !== externalName) {
    throw new UserError(`${describePath(path)}: name and external.name conflict; only use name`);
  }
  out.name = externalName;
  return out;
}
