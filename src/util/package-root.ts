import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root (where package.json is), found from this module whether it runs from `dist/src/...`
 * or from the single-file CLI bundle (`dist/tscompose.cjs`): programs the CLI starts (the engine daemon, a
 * container's init stage) are located from here, not relative to the calling module.
 */
export const PACKAGE_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return dirname(fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
})();

/** A built program of the package, by its path below `dist/src`. */
export function builtProgram(relative: string): string {
  return join(PACKAGE_ROOT, 'dist/src', relative);
}
