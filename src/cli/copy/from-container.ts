/** `cp CONTAINER:SRC DEST`: the container's tar extracted on the host with docker cp's naming rules. */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extractTar } from '../../engine/archive/extract.js';
import { isDirMode, isSymlinkMode, type PathStat } from '../../engine/archive/path-stat.js';
import { getContainerArchive, statContainerPath } from '../../engine/client/archive-api.js';
import type { HttpClient } from '../../engine/client/http-client.js';
import { UserError } from '../../errors.js';
import { countBytes } from './count.js';

export interface FromContainerOptions {
  followLink: boolean;
  /** Where `-` writes the raw tar. */
  stdout: Writable;
}

/** Returns the number of archive bytes copied. */
export async function copyFromContainer(http: HttpClient, container: string, srcPath: string, dstPath: string, opts: FromContainerOptions): Promise<number> {
  const path = opts.followLink ? await followed(http, container, srcPath) : srcPath;
  const { stat: srcStat, tar } = await getContainerArchive(http, container, path);
  const counted = countBytes(tar);
  if (dstPath === '-') {
    await pipeline(counted.stream, opts.stdout, { end: false });
    return counted.count();
  }
  const plan = await hostPlan(srcStat, path, dstPath).catch((e: unknown) => {
    tar.destroy();
    throw e;
  });
  await extractTar(counted.stream, plan.dir, { noOverwriteDirNonDir: false, ...(plan.rename ? { rename: plan.rename } : {}) });
  return counted.count();
}

/** `-L`: a symlink's target instead of the link. */
async function followed(http: HttpClient, container: string, path: string): Promise<string> {
  const st = await statContainerPath(http, container, path);
  return isSymlinkMode(st.mode) && st.linkTarget ? st.linkTarget : path;
}

/** Where to extract, and the new name of the archive's root when the destination names it. */
async function hostPlan(srcStat: PathStat, srcPath: string, dstPath: string): Promise<{ dir: string; rename?: (name: string) => string }> {
  const srcIsDir = isDirMode(srcStat.mode);
  const root = srcPath.endsWith('/.') || srcPath === '.' ? '.' : srcStat.name;
  const dst = await stat(dstPath).catch(() => undefined);
  if (dst?.isDirectory()) return { dir: dstPath }; // `dir` nests, `dir/.` spills its content
  if (dst && srcIsDir) throw new UserError(`cannot copy directory "${srcPath}" to file "${dstPath}"`);
  if (!dst && dstPath.endsWith('/') && !srcIsDir) throw new UserError(`destination directory "${dstPath}" does not exist`);
  const target = resolve(dstPath);
  const parent = await stat(dirname(target)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UserError(`destination directory "${dirname(target)}" does not exist`);
  return { dir: dirname(target), rename: renameRoot(root, basename(target)) };
}

/** `root/...` (or `./...`) → `to/...`. */
export function renameRoot(root: string, to: string): (name: string) => string {
  return (name) => {
    const rel = name.replace(/^\.(\/|$)/, '');
    if (root === '.') return rel === '' ? `${to}/` : `${to}/${rel}`;
    if (rel === root || rel.startsWith(`${root}/`)) return to + rel.slice(root.length);
    return name;
  };
}
