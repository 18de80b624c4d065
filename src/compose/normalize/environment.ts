import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { parseEnvText } from '../dotenv.js';
import { pathExists, readTextFile } from '../file-facts.js';
import { isDict, type Dict, type VariableLookup } from '../types.js';

/** What reading a service's env and label files needs. */
export interface EnvContext {
  lookup: VariableLookup;
  workingDir: string;
  warn: (message: string) => void;
}

/**
 * `environment` entries without a value take the project's variable when it is set (and stay null when
 * not); then env_file contents are merged under them: later files win over earlier ones, `environment`
 * wins over all (compose-go WithServicesEnvironmentResolved).
 */
export function resolveServiceEnvironment(service: Dict, ctx: EnvContext): void {
  const declared = resolveMissingValues(toMapping(service.environment), ctx.lookup, true);
  const entries = envFileEntries(service.env_file);
  if (entries.length === 0) {
    if (service.environment !== undefined) service.environment = declared;
    return;
  }
  const fromFiles = new Map<string, string>();
  const fileLookup: VariableLookup = (name) => {
    const own = declared[name];
    return ctx.lookup(name) ?? (typeof own === 'string' ? own : undefined) ?? fromFiles.get(name);
  };
  for (const entry of entries) {
    const text = readEnvFile(entry, 'env file', ctx.workingDir);
    if (text === undefined) continue;
    for (const [k, v] of parseEnvText(text, fileLookup, { file: entry.path, format: entry.format, warn: ctx.warn })) fromFiles.set(k, v);
  }
  service.environment = { ...Object.fromEntries(fromFiles), ...declared };
}

/** Build args without a value take the project's variable, and are dropped when it is unset. */
export function resolveBuildArgs(service: Dict, lookup: VariableLookup): void {
  if (!isDict(service.build) || service.build.args === undefined) return;
  service.build.args = resolveMissingValues(toMapping(service.build.args), lookup, false);
}

/** label_file contents under `labels` (labels win); label files are always required. */
export function resolveServiceLabels(service: Dict, ctx: EnvContext): void {
  const files = labelFiles(service.label_file);
  if (files.length === 0) return;
  const fromFiles = new Map<string, string>();
  for (const path of files) {
    const text = readEnvFile({ path, required: true }, 'label file', ctx.workingDir) ?? '';
    for (const [k, v] of parseEnvText(text, () => undefined, { file: path, warn: ctx.warn })) fromFiles.set(k, v);
  }
  service.labels = { ...Object.fromEntries(fromFiles), ...toMapping(service.labels) };
}

interface EnvFileEntry {
  path: string;
  required: boolean;
  format?: string;
}

function readEnvFile(entry: EnvFileEntry, what: string, workingDir: string): string | undefined {
  const path = resolve(workingDir, entry.path);
  if (!pathExists(path)) {
    if (!entry.required) return undefined;
    throw new UserError(`${what} ${path} not found: stat ${path}: no such file or directory`);
  }
  return readTextFile(path);
}

/** Canonical `env_file` is a list of `{path, required, format?}`; bare strings are accepted too. */
function envFileEntries(value: unknown): EnvFileEntry[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.flatMap((e): EnvFileEntry[] => {
    if (typeof e === 'string') return [{ path: e, required: true }];
    if (!isDict(e) || typeof e.path !== 'string') return [];
    const format = typeof e.format === 'string' ? e.format : undefined;
    return [{ path: e.path, required: e.required !== false, ...(format ? { format } : {}) }];
  });
}

function labelFiles(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

/** Fills null values from the lookup; unresolved ones are kept as null or dropped. */
function resolveMissingValues(mapping: Dict, lookup: VariableLookup, keepUnset: boolean): Dict {
  const out: Dict = {};
  for (const [key, value] of Object.entries(mapping)) {
    if (value !== null && value !== undefined) out[key] = value;
    else if (lookup(key) !== undefined) out[key] = lookup(key);
    else if (keepUnset) out[key] = null;
  }
  return out;
}

/** The canonical map form; a `KEY=value` list (short syntax that escaped canonicalization) is accepted too. */
function toMapping(value: unknown): Dict {
  if (isDict(value)) return value;
  if (!Array.isArray(value)) return {};
  const out: Dict = {};
  for (const item of value) {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq < 0) out[text] = null;
    else out[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return out;
}
