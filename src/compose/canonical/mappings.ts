import { UserError } from '../../errors.js';
import { isDict, isOverride, isReset, type Dict, type ModelPath } from '../types.js';
import { describePath } from './path-pattern.js';

/**
 * `KEY=VALUE` lists and mappings both become a mapping of strings, so merge can match entries by key.
 * `unsetValue` is what a bare `KEY` (or `KEY: null`) means: `null` ("take it from the shell") for environment and
 * build args, `""` for labels and the other string mappings.
 */
function keyValueMapping(unsetValue: null | ''): (value: unknown, path: ModelPath) => unknown {
  return (value, path) => {
    if (Array.isArray(value)) return Object.fromEntries(value.map((entry, i) => listEntry(entry, unsetValue, [...path, i])));
    if (isDict(value)) return mapValues(value, (v) => scalarText(v, unsetValue));
    return value;
  };
}

export const toEnvironmentMapping = keyValueMapping(null);
export const toStringMapping = keyValueMapping('');

function listEntry(entry: unknown, unsetValue: null | '', path: ModelPath): [string, unknown] {
  if (typeof entry !== 'string' && typeof entry !== 'number' && typeof entry !== 'boolean') {
    throw new UserError(`${describePath(path)}: expected a KEY=VALUE string, got ${JSON.stringify(entry) ?? typeof entry}`);
  }
  const text = String(entry);
  const eq = text.indexOf('=');
  return eq < 0 ? [text, unsetValue] : [text.slice(0, eq), text.slice(eq + 1)];
}

/** Numbers and booleans are written as text, as `docker compose config` prints them; markers stay for merge. */
function scalarText(v: unknown, unsetValue: null | ''): unknown {
  if (v === null || v === undefined) return unsetValue;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return v;
}

export function mapValues(dict: Dict, fn: (v: unknown, key: string) => unknown): Dict {
  return Object.fromEntries(Object.entries(dict).map(([k, v]) => [k, fn(v, k)]));
}

/** `a=b` is tried before `a:b` so that IPv6 addresses (`host=::1`) stay whole. */
const HOST_SEPARATORS = ['=', ':'];

/**
 * `extra_hosts`: a list of `host=ip` strings, one per address (compose-go allows several addresses per host).
 * The mapping form comes out sorted, as compose-go renders it; a list keeps its order.
 */
export function canonicalExtraHosts(value: unknown, path: ModelPath): unknown {
  if (Array.isArray(value)) return value.flatMap((entry) => hostEntries(entry, path));
  if (!isDict(value)) return value;
  const entries = Object.entries(value).flatMap(([host, ips]) => {
    const list = Array.isArray(ips) ? ips : [ips ?? ''];
    return list.map((ip) => `${host}=${unbracket(String(ip))}`);
  });
  return entries.sort();
}

function hostEntries(entry: unknown, path: ModelPath): unknown[] {
  if (isReset(entry) || isOverride(entry)) return [entry];
  const text = String(entry);
  for (const separator of HOST_SEPARATORS) {
    const at = text.indexOf(separator);
    if (at < 0) continue;
    const host = text.slice(0, at);
    return text
      .slice(at + 1)
      .split(',')
      .map((ip) => `${host}=${unbracket(ip)}`);
  }
  throw new UserError(`${describePath(path)}: invalid additional host, missing IP: ${text}`);
}

function unbracket(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}
