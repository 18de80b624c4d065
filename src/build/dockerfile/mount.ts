// RUN --mount=type=...,key=value options (Docker's documented keys and defaults).
import { UserError, type SourcePosition } from '../../errors.js';

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';

export interface MountSpec {
  type: MountType;
  target?: string;
  source?: string;
  id?: string;
  from?: string;
  readonly?: boolean;
  required?: boolean;
  /** Permission bits (given in octal). */
  mode?: number;
  uid?: number;
  gid?: number;
  env?: string;
  sharing?: string;
  /** tmpfs size limit in bytes. */
  size?: number;
}

const TYPES: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const SHARING = ['shared', 'private', 'locked'];

/**
 * Parses the value of one --mount flag, e.g. "type=secret,id=mysecret,target=/x". Fields are
 * comma-separated, CSV style (a field may be "double-quoted" to hold a comma). Defaults filled in:
 * type bind; bind read-only, cache read-write; cache id = target, sharing shared, mode 0755;
 * secret id = basename of target, target /run/secrets/<id> (unless env is set), mode 0400;
 * ssh id "default", mode 0600; uid/gid 0 and required false where they apply.
 */
export function parseMountFlag(value: string, position: SourcePosition): MountSpec {
  const fail = (message: string): never => {
    throw new UserError(`--mount=${value}: ${message}`, position);
  };
  let type: MountType = 'bind';
  const spec: Omit<MountSpec, 'type'> = {};
  let readwrite: boolean | undefined;
  for (const field of splitCsv(value, fail)) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const val = eq < 0 ? undefined : field.slice(eq + 1);
    const str = (): string => (val === undefined || val === '' ? fail(`${key} needs a value`) : val);
    const bool = (): boolean => {
      const b = parseBool(val ?? 'true');
      return b === undefined ? fail(`${key} must be true or false, not "${val}"`) : b;
    };
    const int = (radix: 8 | 10): number => {
      const s = str();
      if (!(radix === 8 ? /^[0-7]+$/ : /^\d+$/).test(s)) fail(`${key} must be ${radix === 8 ? 'an octal' : 'a decimal'} number, not "${s}"`);
      return parseInt(s, radix);
    };
    switch (key) {
      case 'type': {
        const t = str().toLowerCase() as MountType;
        if (!TYPES.includes(t)) fail(`unsupported mount type "${val}"`);
        type = t;
        break;
      }
      case 'target': case 'dst': case 'destination': spec.target = str(); break;
      case 'source': case 'src': spec.source = str(); break;
      case 'from': spec.from = str(); break;
      case 'id': spec.id = str(); break;
      case 'env': spec.env = str(); break;
      case 'readonly': case 'ro': readwrite = !bool(); break;
      case 'readwrite': case 'rw': readwrite = bool(); break;
      case 'required': spec.required = bool(); break;
      case 'mode': spec.mode = int(8); break;
      case 'uid': spec.uid = int(10); break;
      case 'gid': spec.gid = int(10); break;
      case 'sharing': {
        const s = str().toLowerCase();
        if (!SHARING.includes(s)) fail(`sharing must be one of ${SHARING.join(', ')}, not "${val}"`);
        spec.sharing = s;
        break;
      }
      case 'size': {
        const bytes = parseBytes(str());
        spec.size = bytes ?? fail(`invalid size "${val}"`);
        break;
      }
      default:
        fail(`unexpected key '${key}' in '${field}'`);
    }
  }

  const out: MountSpec = { type, ...spec };
  switch (type) {
    case 'bind':
    case 'cache':
    case 'tmpfs':
      if (out.target === undefined) fail(`mount type ${type} requires a target`);
      if (type === 'bind') out.readonly = readwrite === undefined ? true : !readwrite;
      if (type === 'cache') {
        out.readonly = readwrite === undefined ? false : !readwrite;
        out.id ??= out.target;
        out.sharing ??= 'shared';
        out.mode ??= 0o755;
      }
      if (type === 'tmpfs' && readwrite !== undefined) out.readonly = !readwrite;
      break;
    case 'secret':
      if (out.id === undefined && out.target !== undefined) out.id = basename(out.target);
      if (out.id === undefined || out.id === '') fail('a secret mount needs an id (or a target to take it from)');
      if (out.target === undefined && out.env === undefined) out.target = `/run/secrets/${out.id}`;
      out.required ??= false;
      out.mode ??= 0o400;
      break;
    case 'ssh':
      out.id ??= 'default';
      out.required ??= false;
      out.mode ??= 0o600;
      break;
  }
  if (type === 'cache' || type === 'secret' || type === 'ssh') {
    out.uid ??= 0;
    out.gid ??= 0;
  }
  return out;
}

function basename(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}

/** Go's strconv.ParseBool spellings. */
function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** "64m", "1g", "512k", "1024": binary units, as Docker reads sizes. */
function parseBytes(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?$/i.exec(s.trim());
  if (!m) return undefined;
  const power = ' kmgtp'.indexOf((m[2] || ' ').toLowerCase());
  return Math.floor(Number(m[1]) * 1024 ** power);
}

/** Comma-separated fields; a field that starts with `"` runs to the closing quote (`""` is a quote). */
function splitCsv(value: string, fail: (message: string) => never): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= value.length) fail('unterminated quote');
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += value[i++];
      }
      if (i < value.length && value[i] !== ',') fail('text after a closing quote');
    } else {
      const end = value.indexOf(',', i);
      field = value.slice(i, end < 0 ? value.length : end);
      i = end < 0 ? value.length : end;
    }
    fields.push(field);
    if (i >= value.length) return fields;
    i++; // the comma
  }
}
