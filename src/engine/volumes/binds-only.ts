import type { MountSpec } from '../../runtime/spec.js';
import { parseBytes } from '../../util/units.js';
import { badRequest } from '../api/http.js';
import type { MountConfig } from '../api/docker-types.js';
import type { ContainerRecord } from '../containers/record.js';
import type { MountPoint, VolumeManager } from './manager.js';

/** Host binds and tmpfs only: what containers get until named volumes exist. */
export const BINDS_ONLY: VolumeManager = {
  prepare: (record) => void mountsOf(record),
  mountsFor: async (record) => mountsOf(record),
  mountPoints: (record) => mountPointsOf(record),
  release: () => undefined,
};

function mountsOf(record: ContainerRecord): MountSpec[] {
  const host = record.hostConfig;
  return [
    ...(host.Binds ?? []).map(bindFromString),
    ...(host.Mounts ?? []).map(mountFromConfig),
    ...Object.entries(host.Tmpfs ?? {}).map(([target, options]) => tmpfsFromOptions(target, options)),
  ];
}

/** `-v /host:/ctr[:ro|rw]`. */
export function bindFromString(bind: string): MountSpec {
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
    if (key === 'size') spec.sizeBytes = parseBytes(value) ?? badSize(value);
    else if (key === 'mode') spec.mode = parseInt(value, 8);
    else if (key === 'ro') spec.readOnly = true;
    else rest.push(option);
  }
  if (rest.length) spec.options = rest;
  return spec;
}

function badSize(value: string): never {
  throw badRequest(`invalid tmpfs size: '${value}'`);
}

function mountPointsOf(record: ContainerRecord): MountPoint[] {
  return mountsOf(record).map((m) => ({
    Type: m.type,
    Source: m.type === 'bind' ? m.source : '',
    Destination: m.target,
    Mode: m.readOnly ? 'ro' : '',
    RW: !m.readOnly,
    Propagation: m.type === 'bind' ? 'rprivate' : '',
  }));
}
