import { InternalError } from '../../errors.js';
import { isDict, type Dict } from '../types.js';
import { formatDuration, formatFileMode, goString, parseBytes, parseDuration, splitShellWords } from './go-values.js';
import { jsonKeyOrder, yamlKeyOrder, type KeyOrder } from './go-sort.js';
import type { Field, Kind, StructSpec } from './schema.js';

export type OutputFormat = 'yaml' | 'json';

/** Marks a value `omitempty` drops. */
const OMIT = Symbol('omit');
type Out = unknown;

/** Renders model values as compose-go marshals its structs, for YAML (yaml.v3) or JSON (encoding/json). */
export class GoRenderer {
  private readonly order: KeyOrder;
  constructor(private readonly format: OutputFormat) {
    this.order = format === 'yaml' ? yamlKeyOrder : jsonKeyOrder;
  }

  /** A struct: known fields in Go order, then keys we have no table row for, then `x-*` extensions. */
  struct(value: unknown, spec: StructSpec, topLevel = false): Dict {
    const src = isDict(value) ? value : {};
    const hidden = new Set(spec.hidden?.(src) ?? []);
    const known = new Set(spec.fields.map((f) => f.key));
    const out: Dict = {};
    for (const field of spec.fields) {
      if (hidden.has(field.key)) continue;
      const rendered = this.field(src[field.key], field);
      if (rendered !== OMIT) out[field.key] = rendered;
    }
    for (const [key, v] of Object.entries(src)) {
      if (!known.has(key) && !hidden.has(key) && !key.startsWith('x-') && v !== undefined) out[key] = this.any(v);
    }
    if (spec.extensions && (this.format === 'yaml' || topLevel)) {
      for (const key of this.sortedKeys(src).filter((k) => k.startsWith('x-'))) out[key] = this.any(src[key]);
    }
    return out;
  }

  private field(raw: unknown, field: Field): Out {
    if (raw === undefined || raw === null) {
      if (field.always) return zeroOf(field.kind);
      // encoding/json has no omitempty for struct values: an absent one prints as {}.
      if (this.format === 'json' && isStructValue(field.kind)) return this.value({}, field.kind);
      return this.format === 'json' && field.jsonNull ? null : OMIT;
    }
    const rendered = this.value(raw, field.kind);
    if (rendered === OMIT) return OMIT;
    if (!field.always && this.isZero(rendered, field.kind)) return this.format === 'json' && field.jsonNull ? rendered : OMIT;
    return rendered;
  }

  private value(raw: unknown, kind: Kind): Out {
    if (typeof kind === 'string') return SCALAR_RENDERERS[kind](raw, this);
    // a short-syntax string left uninterpolated (config --no-interpolate) is shown as written
    if ('struct' in kind) return typeof raw === 'string' ? raw : this.struct(raw, kind.struct());
    if ('list' in kind) return asList(raw).map((item) => this.value(item, kind.list));
    return this.map(raw, kind.map);
  }

  /** A Go map: sorted keys; a null entry stays null for pointers and becomes `{}` for struct values. */
  private map(raw: unknown, of: Kind): Dict {
    const src = isDict(raw) ? raw : Array.isArray(raw) ? Object.fromEntries(raw.map((k) => [String(k), null])) : {};
    const out: Dict = {};
    for (const key of this.sortedKeys(src)) {
      const v = src[key];
      out[key] = v === null || v === undefined ? nullEntry(of, this) : this.value(v, of);
    }
    return out;
  }

  /** Values we have no table for: mappings get Go's sorted keys, the rest is kept. */
  any(raw: unknown): Out {
    if (Array.isArray(raw)) return raw.map((v) => this.any(v));
    if (!isDict(raw)) return raw;
    const out: Dict = {};
    for (const key of this.sortedKeys(raw)) out[key] = this.any(raw[key]);
    return out;
  }

  sortedKeys(d: Dict): string[] {
    return Object.keys(d).sort(this.order);
  }

  sortedStrings(list: string[]): string[] {
    return [...list].sort(jsonKeyOrder); // sort.Strings: bytewise, in both formats
  }

  private isZero(v: Out, kind: Kind): boolean {
    if (typeof kind === 'object' && 'struct' in kind) return !kind.ptr && this.format === 'yaml' && Object.keys(v as Dict).length === 0;
    if (typeof kind === 'object') return Array.isArray(v) ? v.length === 0 : Object.keys(v as Dict).length === 0;
    return ZERO_TESTS[kind](v);
  }
}

function isStructValue(kind: Kind): boolean {
  return typeof kind === 'object' && 'struct' in kind && !kind.ptr;
}

function nullEntry(of: Kind, r: GoRenderer): Out {
  if (typeof of === 'object' && 'struct' in of && !of.ptr) return r.struct({}, of.struct());
  return null;
}

type ScalarKind = Extract<Kind, string>;

const toInt = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n)) throw new InternalError(`expected a number, got ${JSON.stringify(v)}`);
  return Math.trunc(n);
};
const toBool = (v: unknown): boolean => v === true || v === 'true';
/** Durations are strings (`1m30s`); a bare number counts seconds. */
const toDuration = (v: unknown): string => formatDuration(typeof v === 'number' ? BigInt(Math.round(v * 1e9)) : parseDuration(String(v)));
const strings = (v: unknown): string[] => asList(v).map(goString);

/** How each scalar-like kind turns model data into what Go prints. */
const SCALAR_RENDERERS: Readonly<Record<ScalarKind, (raw: unknown, r: GoRenderer) => Out>> = {
  str: (v) => goString(v),
  bool: toBool,
  boolPtr: toBool,
  int: toInt,
  intPtr: toInt,
  float: (v) => Number(v),
  duration: toDuration,
  durationPtr: toDuration,
  bytes: (v) => String(parseBytes(typeof v === 'number' ? v : String(v))),
  fileMode: (v) => formatFileMode(typeof v === 'number' ? v : String(v)),
  optOut: (v) => (v === false || v === 'false' ? false : OMIT),
  deviceCount: (v) => (String(v).toLowerCase() === 'all' ? -1 : toInt(v)),
  strList: strings,
  shellCommand: (v) => (typeof v === 'string' ? splitShellWords(v) : strings(v)),
  healthTest: (v) => (typeof v === 'string' ? ['CMD-SHELL', v] : strings(v)),
  hosts: (v, r) => r.sortedStrings(hostEntries(v)),
  ssh: (v) => sshEntries(v),
  mapping: (v, r) => sortedMapping(v, r, (x) => goString(x)),
  mappingEq: (v, r) => sortedMapping(v, r, (x) => (x === null || x === undefined ? null : goString(x))),
  ulimit: (v) => (isDict(v) ? { soft: toInt(v.soft ?? 0), hard: toInt(v.hard ?? 0) } : toInt(v)),
  any: (v, r) => r.any(v),
};

const never = (): boolean => false;
const emptyList = (v: Out): boolean => Array.isArray(v) && v.length === 0;
const emptyMap = (v: Out): boolean => isDict(v) && Object.keys(v).length === 0;

/** `omitempty`: which rendered values count as Go's zero value. Pointers are never zero once set. */
const ZERO_TESTS: Readonly<Record<ScalarKind, (v: Out) => boolean>> = {
  str: (v) => v === '',
  bool: (v) => v === false,
  boolPtr: never,
  int: (v) => v === 0,
  intPtr: never,
  float: (v) => v === 0,
  duration: (v) => v === '0s',
  durationPtr: never,
  bytes: (v) => v === '0',
  fileMode: never,
  optOut: never,
  deviceCount: (v) => v === 0,
  strList: emptyList,
  shellCommand: emptyList,
  healthTest: emptyList,
  hosts: emptyList,
  ssh: emptyList,
  mapping: emptyMap,
  mappingEq: emptyMap,
  ulimit: never,
  any: never,
};

function zeroOf(kind: Kind): Out {
  if (typeof kind === 'object') return 'list' in kind ? [] : {};
  if (kind === 'bool') return false;
  if (kind === 'int') return 0;
  if (kind === 'bytes') return '0';
  return '';
}

function asList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return v === undefined || v === null ? [] : [v];
}

/** Mapping types: a dict, or a `KEY=value` list (bare `KEY` means no value). */
function sortedMapping(v: unknown, r: GoRenderer, convert: (x: unknown) => unknown): Dict {
  const src: Dict = isDict(v) ? v : Object.fromEntries(asList(v).map((item) => splitPair(String(item), '=')));
  const out: Dict = {};
  for (const key of r.sortedKeys(src)) out[key] = convert(src[key]);
  return out;
}

function splitPair(text: string, separator: string): [string, string | null] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** HostsList as `host=ip` strings (one per IP); `[::1]` loses its brackets. */
function hostEntries(v: unknown): string[] {
  const pairs: Array<[string, string]> = [];
  if (isDict(v)) {
    for (const [host, ips] of Object.entries(v)) for (const ip of asList(ips ?? '')) pairs.push([host, goString(ip)]);
  } else {
    for (const item of asList(v)) {
      const text = goString(item);
      const [host, ips] = text.includes('=') ? splitPair(text, '=') : splitPair(text, ':');
      for (const ip of (ips ?? '').split(',')) pairs.push([host, ip]);
    }
  }
  return pairs.map(([host, ip]) => `${host}=${/^\[.+\]$/.test(ip) ? ip.slice(1, -1) : ip}`);
}

/** SSHConfig items: `id`, or `id: path` when a path is set (SSHKey.MarshalYAML). */
function sshEntries(v: unknown): string[] {
  const pairs: Array<[string, unknown]> = isDict(v) ? Object.entries(v) : asList(v).map((item) => splitPair(goString(item), '='));
  return pairs.map(([id, path]) => (path === null || path === undefined || path === '' ? id : `${id}: ${goString(path)}`));
}
