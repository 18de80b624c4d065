/**
 * What a container asks for, in one shape whatever the API field it came from: HostConfig.Binds strings
 * (`name:/path[:ro]`, `/host:/path[:ro]`, `/path`), HostConfig.Mounts objects and HostConfig.Tmpfs entries.
 */
import { posix } from 'node:path';
import { badRequest } from '../api/http.js';
import type { MountConfig } from '../api/docker-types.js';
import { isValidVolumeName } from '../../volume/names.js';
import type { Propagation, TmpfsSettings } from './plan.js';
import { tmpfsFromOptions } from './tmpfs-options.js';

export type MountRequest =
  | { kind: 'volume'; name?: string; target: string; readOnly: boolean; noCopy: boolean; mode: string; labels?: Record<string, string>; driver?: string; driverOpts?: Record<string, string> }
  | { kind: 'bind'; source: string; target: string; readOnly: boolean; propagation: Propagation; mode: string; createSource: boolean; mustExist: boolean }
  | { kind: 'tmpfs'; target: string; tmpfs: TmpfsSettings; listed: boolean }
  /** An image's filesystem (or one directory of it), always read-only. */
  | { kind: 'image'; image: string; subpath?: string; target: string };

/** HostConfig.Mounts with the fields Docker's API has beyond what the shared type lists. */
export type MountObject = MountConfig & {
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; DriverConfig?: { Name?: string; Options?: Record<string, string> } };
  BindOptions?: MountConfig['BindOptions'] & { CreateMountpoint?: boolean };
};

const PROPAGATIONS = new Set<string>(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);
const ACCEPTED_MODES = new Set(['ro', 'rw', 'z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated', ...PROPAGATIONS]);

/** One `-v` / Binds entry. */
export function requestFromBind(spec: string): MountRequest {
  const parts = spec.split(':');
  if (parts.length === 1) return { kind: 'volume', target: checkTarget(spec, parts[0]!), readOnly: false, noCopy: false, mode: '' };
  if (parts.length > 3) throw badRequest(`invalid volume specification: '${spec}'`);
  const [source = '', rawTarget = '', mode = ''] = parts;
  const target = checkTarget(spec, rawTarget);
  const flags = mode.split(',').filter((f) => f !== '');
  const bad = flags.find((f) => !ACCEPTED_MODES.has(f));
  if (bad !== undefined) throw badRequest(`invalid mode: ${mode}`);
  const readOnly = flags.includes('ro');
  if (posix.isAbsolute(source)) {
    const propagation = (flags.find((f) => PROPAGATIONS.has(f)) ?? 'rprivate') as Propagation;
    return { kind: 'bind', source: posix.normalize(source), target, readOnly, propagation, mode, createSource: true, mustExist: false };
  }
  if (!isValidVolumeName(source)) {
    throw badRequest(`create ${source}: "${source}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
  return { kind: 'volume', name: source, target, readOnly, noCopy: flags.includes('nocopy'), mode };
}

/** One HostConfig.Mounts entry. */
export function requestFromMount(mount: MountObject): MountRequest {
  const target = checkTarget(mount.Target, mount.Target);
  const readOnly = mount.ReadOnly === true;
  if (mount.Type === 'tmpfs') {
    const tmpfs: TmpfsSettings = { ...(mount.TmpfsOptions?.SizeBytes ? { sizeBytes: mount.TmpfsOptions.SizeBytes } : {}), ...(mount.TmpfsOptions?.Mode ? { mode: mount.TmpfsOptions.Mode } : {}), ...(readOnly ? { readOnly } : {}) };
    return { kind: 'tmpfs', target, tmpfs, listed: true };
  }
  if (mount.Type === 'bind') return bindFromMount(mount, target, readOnly);
  if (mount.Type === 'volume') return volumeFromMount(mount, target, readOnly);
  if (mount.Type === 'image') return imageFromMount(mount, target);
  throw badRequest(`mount type "${String(mount.Type)}" is not supported`);
}

function bindFromMount(mount: MountObject, target: string, readOnly: boolean): MountRequest {
  const source = mount.Source ?? '';
  if (!posix.isAbsolute(source)) throw badRequest(`invalid mount config for type "bind": invalid mount path: '${source}' mount path must be absolute`);
  const propagation = mount.BindOptions?.Propagation || 'rprivate';
  if (!PROPAGATIONS.has(propagation)) throw badRequest(`invalid mount config for type "bind": invalid propagation mode: ${propagation}`);
  const create = mount.BindOptions?.CreateMountpoint === true;
  return { kind: 'bind', source: posix.normalize(source), target, readOnly, propagation: propagation as Propagation, mode: '', createSource: create, mustExist: !create };
}

function imageFromMount(mount: MountObject, target: string): MountRequest {
  const image = mount.Source ?? '';
  if (image === '') throw badRequest('invalid mount config for type "image": source is required');
  const subpath = checkSubpath(mount.ImageOptions?.Subpath);
  return { kind: 'image', image, target, ...(subpath ? { subpath } : {}) };
}

/** A path inside the image: relative, without `..` (`usr/share/nginx/html/` → `usr/share/nginx/html`). */
function checkSubpath(subpath: string | undefined): string | undefined {
  if (subpath === undefined || subpath === '') return undefined;
  const normal = posix.normalize(subpath).replace(/^\/+/, '').replace(/\/+$/, '');
  if (subpath.split('/').includes('..') || normal.startsWith('..')) throw badRequest(`invalid mount config for type "image": subpath must not contain "..": '${subpath}'`);
  return normal === '' || normal === '.' ? undefined : normal;
}

function volumeFromMount(mount: MountObject, target: string, readOnly: boolean): MountRequest {
  const name = mount.Source || undefined;
  if (name !== undefined && !isValidVolumeName(name)) throw badRequest(`invalid mount config for type "volume": invalid volume name: '${name}'`);
  const options = mount.VolumeOptions ?? {};
  return {
    kind: 'volume',
    ...(name ? { name } : {}),
    target,
    readOnly,
    noCopy: options.NoCopy === true,
    mode: '',
    ...(options.Labels ? { labels: options.Labels } : {}),
    ...(options.DriverConfig?.Name ? { driver: options.DriverConfig.Name } : {}),
    ...(options.DriverConfig?.Options ? { driverOpts: options.DriverConfig.Options } : {}),
  };
}

/** One HostConfig.Tmpfs entry (`/run` → `size=64m,mode=1777`). */
export function requestFromTmpfs(target: string, options: string): MountRequest {
  try {
    return { kind: 'tmpfs', target: checkTarget(target, target), tmpfs: tmpfsFromOptions(options), listed: false };
  } catch (e) {
    throw badRequest((e as Error).message);
  }
}

function checkTarget(spec: string, target: string): string {
  if (!posix.isAbsolute(target)) throw badRequest(`invalid mount config: invalid mount path: '${target}' mount path must be absolute`);
  const normal = posix.normalize(target).replace(/(.)\/$/, '$1');
  if (normal === '/') throw badRequest(`invalid specification: destination can't be '/' in '${spec}'`);
  return normal;
}
