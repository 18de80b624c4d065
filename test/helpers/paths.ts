import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file that holds package.json (works from src and dist). */
export const REPO_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + import.meta.url);
    dir = up;
  }
  return dir;
})();

/** Test data from other projects (../shared/peer-fixtures beside the clone; TSCOMPOSE_PEER_FIXTURES overrides). */
export const PEER_FIXTURES = process.env.TSCOMPOSE_PEER_FIXTURES ?? resolve(REPO_ROOT, '../shared/peer-fixtures');

/** The built CLI, as users run it (the bundle `bin` points to). */
export const CLI_ENTRY = join(REPO_ROOT, 'dist/tscompose.cjs');
