/** cgroup v2 delegation: a controller works in a cgroup only if every ancestor lists it in cgroup.subtree_control. */
import { join } from 'node:path';
import { UserError } from '../../../errors.js';
import { makePath, readText, writeValue } from '../fs.js';

export const V2_CONTROLLERS = ['cpuset', 'cpu', 'memory', 'pids'] as const;

/** Space-separated names; tolerates the "+name" form a fake cgroupfs keeps from our own writes. */
function parseNames(text: string | undefined): Set<string> {
  return new Set((text ?? '').split(/\s+/).filter(Boolean).map((n) => n.replace(/^\+/, '')));
}

export function enabledControllers(dir: string): Set<string> {
  return parseNames(readText(dir, 'cgroup.subtree_control'));
}

/**
 * Creates <root>/<parent> and enables our controllers from the root down to it, so that container cgroups
 * below the parent get them. A controller the kernel refuses (say, cpu while a realtime task runs outside
 * the root) only disables the limits that need it, and those then fail with a clear error.
 */
export function delegateControllers(root: string, parent: string): Set<string> {
  enableIn(root, parseNames(readText(root, 'cgroup.controllers')));
  makePath(root, parent, (dir, parentDir) => enableIn(dir, offeredIn(dir, parentDir)));
  return enabledControllers(join(root, parent));
}

/** What a level may enable: its cgroup.controllers, which the kernel fills from the parent's subtree_control. */
function offeredIn(dir: string, parentDir: string): Set<string> {
  const own = readText(dir, 'cgroup.controllers');
  return own === undefined ? enabledControllers(parentDir) : parseNames(own);
}

/** All at once first (one write); if the kernel refuses that, one at a time so the others still get enabled. */
function enableIn(dir: string, offered: Set<string>): void {
  const enabled = enabledControllers(dir);
  const missing = V2_CONTROLLERS.filter((name) => offered.has(name) && !enabled.has(name));
  if (missing.length === 0 || tryEnable(dir, missing)) return;
  for (const name of missing) tryEnable(dir, [name]);
}

function tryEnable(dir: string, names: string[]): boolean {
  try {
    writeValue(dir, 'cgroup.subtree_control', names.map((n) => `+${n}`).join(' '));
    return true;
  } catch (e) {
    if (e instanceof UserError) return false;
    throw e;
  }
}
