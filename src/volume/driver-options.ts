/**
 * Docker's `local` driver options (`-o type=... -o device=... -o o=...`): a tmpfs (`type=tmpfs`) or a bind of a
 * host path (`type=none,o=bind,device=/path`). Filesystems that need a device or a network (nfs, cifs, ext4, ...)
 * are refused with a clear message rather than half-supported.
 */
import { posix } from 'node:path';
import { UserError } from '../errors.js';
import { parseBytes } from '../util/units.js';
import type { VolumeBacking } from './types.js';

const KNOWN_KEYS = new Set(['type', 'device', 'o']);
/** tmpfs mount data we pass through as is. */
const TMPFS_DATA = new Set(['uid', 'gid', 'nr_inodes', 'nr_blocks', 'huge']);

/** Checks the options at `volume create` time; throws UserError for anything the local driver here cannot do. */
export function validateDriverOptions(options: Record<string, string>): void {
  backingFor(options, '/');
}

/** The backing of a volume with these options; `dataDir` is its `_data` (used when no options are given). */
export function backingFor(options: Record<string, string>, dataDir: string): VolumeBacking {
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) throw new UserError(`invalid option key: "${key}"`);
  }
  const { type, device, o = '' } = options;
  if (type === undefined) {
    if (device !== undefined || o !== '') throw new UserError('missing required option: "type"');
    return { kind: 'directory', path: dataDir };
  }
  if (type === 'tmpfs') return tmpfsBacking(o);
  const flags = splitOptions(o);
  if (flags.includes('bind')) return bindBacking(device, flags);
  throw new UserError(`volume option type=${type} is not supported: only "tmpfs" and binds ("type=none,o=bind,device=/path") are`);
}

function splitOptions(o: string): string[] {
  return o.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function tmpfsBacking(o: string): VolumeBacking {
  const backing: VolumeBacking & { kind: 'tmpfs' } = { kind: 'tmpfs', options: [] };
  for (const option of splitOptions(o)) {
    const [key = '', value = ''] = option.split('=', 2);
    if (key === 'size') backing.sizeBytes = parseBytes(value) ?? invalid(`invalid tmpfs size: "${value}"`);
    else if (key === 'mode') backing.mode = /^[0-7]{1,4}$/.test(value) ? parseInt(value, 8) : invalid(`invalid tmpfs mode: "${value}"`);
    else if (key === 'ro') backing.readOnly = true;
    else if (key === 'rw') backing.readOnly = false;
    else if (TMPFS_DATA.has(key) && value !== '') backing.options.push(option);
    else invalid(`tmpfs volume option "${option}" is not supported`);
  }
  return backing;
}

function bindBacking(device: string | undefined, flags: string[]): VolumeBacking {
  if (!device) throw new UserError('missing required option: "device" (the host path to bind)');
  if (!posix.isAbsolute(device)) throw new UserError(`bind volume device must be an absolute path: "${device}"`);
  const unknown = flags.filter((f) => !['bind', 'rbind', 'ro', 'rw'].includes(f));
  if (unknown.length) throw new UserError(`bind volume option "${unknown.join(',')}" is not supported`);
  return { kind: 'directory', path: posix.normalize(device), ...(flags.includes('ro') ? { readOnly: true } : {}) };
}

function invalid(message: string): never {
  throw new UserError(message);
}
