import { resolveCapabilities } from '../../runtime/capabilities.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_PATH_ENV, DEFAULT_READONLY_PATHS } from '../../runtime/defaults.js';
import type { ContainerSpec, MountSpec, RlimitSpec } from '../../runtime/spec.js';
import { resolveUser } from '../../runtime/user.js';
import { parseBytes } from '../../util/units.js';
import { badRequest } from '../api/http.js';
import type { HostConfig, MountConfig } from '../api/docker-types.js';
import { containerPaths } from './paths.js';
import type { ContainerRecord } from './record.js';

/** The parts of an image's OCI config a container inherits. */
export interface ImageDefaults {
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

/** Translates the Docker-shaped record into the runtime's spec (runc's "specconv"): pure but for reading /etc/passwd. */
export function buildContainerSpec(record: ContainerRecord, image: ImageDefaults, lowerDirs: string[]): ContainerSpec {
  const paths = containerPaths(record);
  const host = record.hostConfig;
  const layers = { lowerDirs, upperDir: paths.upperDir };
  const user = resolveUser(record.config.User || image.User || undefined, layers, stringList(host.GroupAdd));
  const privileged = host.Privileged === true;
  return {
    id: record.id,
    hostname: record.config.Hostname || record.id.slice(0, 12),
    ...(record.config.Domainname ? { domainname: record.config.Domainname } : {}),
    rootfs: { lowerDirs, upperDir: paths.upperDir, workDir: paths.workDir, mountPoint: paths.rootfs, readOnly: host.ReadonlyRootfs === true },
    process: {
      args: [record.path, ...record.args],
      env: mergeEnv(image.Env ?? [DEFAULT_PATH_ENV], record.config.Env ?? [], user.home),
      cwd: record.config.WorkingDir || image.WorkingDir || '/',
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
      terminal: record.config.Tty === true,
      noNewPrivileges: !privileged && !(host.SecurityOpt ?? []).includes('no-new-privileges:false'),
      capabilities: resolveCapabilities({ capAdd: host.CapAdd ?? [], capDrop: host.CapDrop ?? [], privileged }),
      rlimits: rlimitsOf(host),
    },
    mounts: mountsOf(host),
    etcFiles: { hosts: paths.hostsFile, hostname: paths.hostnameFile, resolvConf: paths.resolvConfFile },
    maskedPaths: privileged ? [] : [...DEFAULT_MASKED_PATHS],
    readonlyPaths: privileged ? [] : [...DEFAULT_READONLY_PATHS],
    sysctls: host.Sysctls ?? {},
    ...(host.NetworkMode === 'host' ? { hostNetwork: true } : {}),
    privileged,
    init: host.Init === true,
  };
}

/** Image env first, the container's own override by key; HOME from the user's passwd entry when nobody set it. */
export function mergeEnv(imageEnv: string[], containerEnv: string[], home: string): string[] {
  const byKey = new Map<string, string>();
  for (const entry of [...imageEnv, ...containerEnv]) byKey.set(entry.split('=', 1)[0]!, entry);
  if (![...byKey.keys()].includes('PATH')) byKey.set('PATH', DEFAULT_PATH_ENV);
  if (!byKey.has('HOME')) byKey.set('HOME', `HOME=${home || '/'}`);
  return [...byKey.values()];
}

function rlimitsOf(host: HostConfig): RlimitSpec[] {
  return (host.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard }));
}

function mountsOf(host: HostConfig): MountSpec[] {
  return [
    ...(host.Binds ?? []).map(bindFromString),
    ...(host.Mounts ?? []).map(mountFromConfig),
    ...Object.entries(host.Tmpfs ?? {}).map(([target, options]) => tmpfsFromOptions(target, options)),
  ];
}

/** `-v /host:/ctr[:ro|rw]`; named volumes come with the volume store. */
function bindFromString(bind: string): MountSpec {
  const [source, target, options = ''] = bind.split(':');
  if (!source || !target) throw badRequest(`invalid volume specification: '${bind}'`);
  if (!source.startsWith('/')) throw badRequest(`invalid volume specification: '${bind}': named volumes are not supported yet`);
  return { type: 'bind', source, target, readOnly: options.split(',').includes('ro') };
}

function mountFromConfig(mount: MountConfig): MountSpec {
  if (mount.Type === 'tmpfs') {
    return { type: 'tmpfs', target: mount.Target, ...(mount.TmpfsOptions?.SizeBytes ? { sizeBytes: mount.TmpfsOptions.SizeBytes } : {}), ...(mount.TmpfsOptions?.Mode ? { mode: mount.TmpfsOptions.Mode } : {}) };
  }
  if (mount.Type !== 'bind' || !mount.Source) throw badRequest(`mount type ${mount.Type} is not supported yet`);
  return { type: 'bind', source: mount.Source, target: mount.Target, readOnly: mount.ReadOnly === true };
}

/** Docker's tmpfs option strings: `size=64m,mode=1777,ro,noexec`. */
export function tmpfsFromOptions(target: string, options: string): MountSpec {
  const spec: MountSpec & { type: 'tmpfs' } = { type: 'tmpfs', target };
  const rest: string[] = [];
  for (const option of options.split(',').filter((o) => o !== '')) {
    const [key, value = ''] = option.split('=');
    if (key === 'size') spec.sizeBytes = parseSize(value);
    else if (key === 'mode') spec.mode = parseInt(value, 8);
    else if (key === 'ro') spec.readOnly = true;
    else rest.push(option);
  }
  if (rest.length) spec.options = rest;
  return spec;
}

function parseSize(value: string): number {
  const bytes = parseBytes(value);
  if (bytes === undefined) throw badRequest(`invalid size: '${value}'`);
  return bytes;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
