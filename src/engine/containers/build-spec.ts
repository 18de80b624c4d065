import { resolveCapabilities } from '../../runtime/capabilities.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_PATH_ENV, DEFAULT_READONLY_PATHS } from '../../runtime/defaults.js';
import type { ContainerSpec, MountSpec, RlimitSpec } from '../../runtime/spec.js';
import { resolveUser } from '../../runtime/user.js';
import type { HostConfig } from '../api/docker-types.js';
import { containerPaths } from './paths.js';
import type { ContainerRecord } from './record.js';

/** The parts of an image's OCI config a container inherits. */
export interface ImageDefaults {
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

/** Translates the Docker-shaped record into the runtime's spec (runc's "specconv"): pure but for reading /etc/passwd. */
export function buildContainerSpec(record: ContainerRecord, image: ImageDefaults, lowerDirs: string[], mounts: MountSpec[], netnsPath?: string): ContainerSpec {
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
    mounts,
    etcFiles: { hosts: paths.hostsFile, hostname: paths.hostnameFile, resolvConf: paths.resolvConfFile },
    maskedPaths: privileged ? [] : [...DEFAULT_MASKED_PATHS],
    readonlyPaths: privileged ? [] : [...DEFAULT_READONLY_PATHS],
    sysctls: host.Sysctls ?? {},
    ...(host.NetworkMode === 'host' ? { hostNetwork: true } : {}),
    // network_mode container:X — the namespace of X's PID 1 (resolved by the network manager)
    ...(netnsPath ? { netnsPath } : {}),
    privileged,
    init: host.Init === true,
  };
}

/** Image env first, the container's own override by key; HOME from the user's passwd entry when nobody set it. */
export function mergeEnv(imageEnv: string[], containerEnv: string[], home: string): string[] {
  const byKey = new Map<string, string>();
  for (const entry of [...imageEnv, ...containerEnv]) {
    if (entry.includes('=')) byKey.set(entry.split('=', 1)[0]!, entry);
    else byKey.delete(entry); // Docker: a bare NAME unsets it
  }
  if (![...byKey.keys()].includes('PATH')) byKey.set('PATH', DEFAULT_PATH_ENV);
  if (!byKey.has('HOME')) byKey.set('HOME', `HOME=${home || '/'}`);
  return [...byKey.values()];
}

function rlimitsOf(host: HostConfig): RlimitSpec[] {
  return (host.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard }));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
