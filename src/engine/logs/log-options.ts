import { UserError } from '../../errors.js';

/** The json-file driver's rotation settings, from a service's `logging.options` (Docker's `--log-opt`). */
export interface LogOptions {
  /** Rotate when the live file reaches this size; undefined = never rotate (Docker's `-1`). */
  maxSizeBytes?: number;
  /** Files kept in total, the live one included (Docker's default 1: rotation truncates). */
  maxFiles?: number;
  /** gzip rotated files (`path.1.gz` ...). */
  compress?: boolean;
}

// Options the json-file driver knows; the attribute ones are accepted and ignored, as with `docker run`.
const KNOWN_OPTIONS = new Set(['max-size', 'max-file', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag']);

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Parses Docker's log options for the json-file driver; bad values are the user's mistake. */
export function parseLogOptions(opts: Record<string, string>): LogOptions {
  for (const key of Object.keys(opts)) {
    if (!KNOWN_OPTIONS.has(key)) throw new UserError(`unknown log opt '${key}' for json-file log driver`);
  }
  const options: LogOptions = {};
  const maxSizeBytes = opts['max-size'] === undefined ? undefined : parseMaxSize(opts['max-size']);
  if (maxSizeBytes !== undefined) options.maxSizeBytes = maxSizeBytes;
  if (opts['max-file'] !== undefined) options.maxFiles = parseMaxFile(opts['max-file']);
  if (opts['compress'] !== undefined) options.compress = parseBool('compress', opts['compress']);
  // As in Docker: max-file without max-size is accepted and has no effect; compress needs something to rotate.
  if (options.compress && ((options.maxFiles ?? 1) < 2 || options.maxSizeBytes === undefined)) {
    throw new UserError('compress cannot be true when max-file is less than 2 or max-size is not set');
  }
  return options;
}

/** "10m", "1g", "512k", "10MiB", "100" (bytes); "-1" means unlimited. Units are binary, as in Docker. */
export function parseMaxSize(value: string): number | undefined {
  if (value.trim() === '-1') return undefined;
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp]?)(?:i?b)?$/i.exec(value.trim());
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new UserError(`invalid max-size '${value}': expected a size such as 10m, 512k or 1g`);
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes <= 0) throw new UserError(`invalid max-size '${value}': must be a positive size`);
  return bytes;
}

function parseMaxFile(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UserError(`invalid max-file '${value}': expected a positive integer`);
  const files = Number(value.trim());
  if (files < 1) throw new UserError(`invalid max-file '${value}': must be at least 1`);
  return files;
}

// Go's strconv.ParseBool forms, which is what Docker accepts.
const TRUE_FORMS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_FORMS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function parseBool(key: string, value: string): boolean {
  if (TRUE_FORMS.has(value)) return true;
  if (FALSE_FORMS.has(value)) return false;
  throw new UserError(`invalid ${key} '${value}': expected true or false`);
}
