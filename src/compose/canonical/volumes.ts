import { UserError } from '../../errors.js';
import type { Dict, ModelPath } from '../types.js';
import { describePath } from './path-pattern.js';

/** `services.*.volumes.*`: a short `source:target:options` string becomes the long syntax; maps stay as written. */
export function canonicalServiceVolume(value: unknown, path: ModelPath): unknown {
  if (typeof value !== 'string' || value.includes('${')) return value; // uninterpolated (config --no-interpolate)
  try {
    return parseVolumeSpec(value);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${describePath(path)}: ${e.message}`);
    throw e;
  }
}

class VolumeSpecError extends Error {}

/** Options that go to `bind:` (propagation and SELinux relabeling); anything unknown is ignored, as compose-go does. */
const BIND_OPTIONS: Readonly<Record<string, string>> = {
  rprivate: 'propagation',
  private: 'propagation',
  rshared: 'propagation',
  shared: 'propagation',
  rslave: 'propagation',
  slave: 'propagation',
  z: 'selinux',
  Z: 'selinux',
};

interface VolumeParts {
  source?: string;
  target?: string;
  options: string[];
}

/**
 * Parses the short volume syntax the way compose-go does, producing what `docker compose config` prints:
 * `./a:/b:ro` → bind (create_host_path), `name:/b` → named volume, `/b` → anonymous volume.
 * Sources starting with `.`, `/`, `~`, `\\` or a drive letter are host paths.
 */
export function parseVolumeSpec(spec: string): Dict {
  if (spec.length === 0) throw new UserError('invalid empty volume spec');
  // One or two characters can only be a (very short) target.
  if (spec.length <= 2) return { type: 'volume', target: spec };
  try {
    return toLongVolume(splitVolumeSpec(spec));
  } catch (e) {
    if (e instanceof VolumeSpecError) throw new UserError(`invalid spec: ${spec}: ${e.message}`);
    throw e;
  }
}

function splitVolumeSpec(spec: string): VolumeParts {
  const parts: VolumeParts = { options: [] };
  let buffer = '';
  let substitutionDepth = 0; // keep `${VAR:-a:b}` whole when interpolation is off
  for (let i = 0; i <= spec.length; i++) {
    const char = spec[i];
    if (char === '$' && spec[i + 1] === '{') substitutionDepth++;
    else if (char === '}' && substitutionDepth > 0) substitutionDepth--;
    const atSeparator = char === undefined || (char === ':' && substitutionDepth === 0 && !isDriveLetter(buffer));
    if (!atSeparator) {
      buffer += char;
      continue;
    }
    assignField(parts, buffer, char === undefined);
    buffer = '';
  }
  return parts;
}

function isDriveLetter(buffer: string): boolean {
  return buffer.length === 1 && /\p{L}/u.test(buffer);
}

function assignField(parts: VolumeParts, field: string, atEnd: boolean): void {
  if (field === '') throw new VolumeSpecError('empty section between colons');
  if (parts.source === undefined && atEnd) parts.target = field;
  else if (parts.source === undefined) parts.source = field;
  else if (parts.target === undefined) parts.target = field;
  else if (!atEnd) throw new VolumeSpecError('too many colons');
  else parts.options = field.split(',');
}

function toLongVolume(parts: VolumeParts): Dict {
  const source = parts.source ?? '';
  const isBind = isHostPath(source);
  const volume: Dict = { type: isBind ? 'bind' : 'volume' };
  if (source !== '') volume.source = source;
  volume.target = parts.target;
  let bind: Dict | undefined;
  let volumeOptions: Dict | undefined;
  for (const option of parts.options) {
    if (option === 'ro') volume.read_only = true;
    else if (option === 'rw') delete volume.read_only;
    else if (option === 'nocopy') volumeOptions = { nocopy: true };
    else if (option in BIND_OPTIONS) bind = { ...bind, [BIND_OPTIONS[option] as string]: option };
  }
  // Short syntax binds create a missing host path (docker-compose v1 behaviour kept by Compose).
  if (isBind) bind = { ...bind, create_host_path: true };
  if (bind) volume.bind = bind;
  if (!isBind) volumeOptions ??= {};
  if (volumeOptions) volume.volume = volumeOptions;
  return volume;
}

function isHostPath(source: string): boolean {
  if (source === '') return false;
  if ('./~'.includes(source[0] as string)) return true;
  if (source.startsWith('\\\\')) return true;
  return /^\p{L}:/u.test(source);
}
