/** Which cgroup layout a host has. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { isDir } from './fs.js';

/** The v1 hierarchies tscompose uses, each mounted at <root>/<name>. */
export const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'cpuset', 'pids', 'freezer'] as const;
export type V1ControllerName = (typeof V1_CONTROLLERS)[number];

/**
 * Pure v2 when <root> itself is the cgroup2 mount (it has cgroup.controllers). Otherwise v1 when controller
 * hierarchies sit below <root>; a hybrid host's <root>/unified stays unused since its controllers are on v1.
 */
export function detectCgroupVersion(root: string): 'v1' | 'v2' {
  if (existsSync(join(root, 'cgroup.controllers'))) return 'v2';
  if (V1_CONTROLLERS.some((name) => isDir(join(root, name)))) return 'v1';
  throw new UserError(`no cgroup filesystem found at ${root}: mount cgroup2 (or the v1 controllers) there`);
}
