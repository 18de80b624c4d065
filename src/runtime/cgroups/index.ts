/**
 * tscompose's cgroups layer: one small interface, a backend per cgroup version (chosen by detection),
 * one file per controller in each backend.
 */
import { detectCgroupVersion } from './detect.js';
import { checkSegments } from './fs.js';
import type { CgroupDriver, CgroupDriverOptions } from './types.js';
import { V1Driver } from './v1/driver.js';
import { V2Driver } from './v2/driver.js';

export type { CgroupDriver, CgroupDriverOptions, CgroupLimits, CgroupStats, ContainerCgroup } from './types.js';
export { detectCgroupVersion } from './detect.js';
export { DEFAULT_CPU_PERIOD_US, checkLimits, parseCpus, sharesToWeight } from './limits.js';

export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';
export const DEFAULT_CGROUP_PARENT = 'tscompose';

/** Opens the host's cgroups: v2 when <root> is a cgroup2 mount, else v1 hierarchies below <root>. */
export function openCgroupDriver(opts: CgroupDriverOptions = {}): CgroupDriver {
  const root = opts.root ?? DEFAULT_CGROUP_ROOT;
  const parent = opts.parent ?? DEFAULT_CGROUP_PARENT;
  checkSegments(parent, 'cgroup parent');
  const version = opts.version ?? detectCgroupVersion(root);
  return version === 'v2' ? new V2Driver(root, parent) : new V1Driver(root, parent);
}
