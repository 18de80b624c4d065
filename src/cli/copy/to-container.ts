/** `cp SRC CONTAINER:DEST`: a tar of the host path, named by docker cp's rules, extracted by the engine. */
import { stat } from 'node:fs/promises';
import { basename, resolve, posix } from 'node:path';
import { Readable } from 'node:stream';
import { plainEntry, plainTree } from '../../engine/archive/plain-tree.js';
import { isDirMode, isSymlinkMode, type PathStat } from '../../engine/archive/path-stat.js';
import { tarTree, type TreeEntry } from '../../engine/archive/tar-stream.js';
import { putContainerArchive, statContainerPath } from '../../engine/client/archive-api.js';
import { EngineError, type HttpClient } from '../../engine/client/http-client.js';
import { UserError } from '../../errors.js';
import { countBytes } from './count.js';

export interface ToContainerOptions {
  followLink: boolean;
  /** Where `-` reads a tar from. */
  stdin: Readable;
}

/** Returns the number of archive bytes copied. */
export async function copyToContainer(http: HttpClient, srcPath: string, container: string, dstPath: string, opts: ToContainerOptions): Promise<number> {
  if (srcPath === '-') {
    const counted = countBytes(opts.stdin);
    await putContainerArchive(http, container, dstPath, counted.stream, { noOverwriteDirNonDir: true });
    return counted.count();
  }
  const { hostPath, entry } = await hostSource(srcPath, opts.followLink);
  const plan = await containerPlan(http, container, entry.kind === 'directory', srcPath, dstPath);
  const counted = countBytes(Readable.from(tarTree(plainTree, hostPath, entry, plan.name)));
  await putContainerArchive(http, container, plan.dir, counted.stream, { noOverwriteDirNonDir: true });
  return counted.count();
}

/** The host entry to archive (`-L`: a symlink stands for its target), with Docker's message when missing. */
async function hostSource(srcPath: string, followLink: boolean): Promise<{ hostPath: string; entry: TreeEntry }> {
  const hostPath = resolve(srcPath);
  const entry = await plainEntry(hostPath).catch(() => undefined);
  if (!entry) throw new UserError(`lstat ${hostPath}: no such file or directory`);
  if (!followLink || !entry.stat.isSymbolicLink()) return { hostPath, entry };
  const target = await stat(hostPath).catch(() => undefined);
  if (!target) throw new UserError(`stat ${hostPath}: no such file or directory`);
  return { hostPath, entry: target.isDirectory() ? { kind: 'directory', hostPaths: [hostPath], stat: target } : { kind: 'other', hostPath, stat: target } };
}

/** The existing container directory to extract into, and the archive's root name. */
async function containerPlan(http: HttpClient, container: string, srcIsDir: boolean, srcPath: string, dstPath: string): Promise<{ dir: string; name: string }> {
  const name = srcPath.endsWith('/.') || srcPath === '.' ? '.' : basename(resolve(srcPath));
  const dst = await statFollowing(http, container, dstPath);
  if (dst && isDirMode(dst.mode)) return { dir: dstPath, name }; // `dir` nests, `dir/.` spills its content
  if (dst && srcIsDir) throw new UserError(`cannot copy directory "${srcPath}" to file "${container}:${dstPath}"`);
  if (!dst && dstPath.endsWith('/') && !srcIsDir) throw new UserError(`destination directory "${container}:${dstPath}" does not exist`);
  const trimmed = dstPath.replace(/\/+$/, '') || '/';
  const parent = posix.dirname(posix.join('/', trimmed));
  const parentStat = await statFollowing(http, container, parent);
  if (!parentStat) throw new EngineError(404, `No such container:path: ${container}:${parent}`);
  if (!isDirMode(parentStat.mode)) throw new UserError(`"${container}:${parent}" is not a directory`);
  return { dir: parent, name: posix.basename(trimmed) };
}

/** The stat of a container path (a symlink's target when it is one), undefined when missing. */
async function statFollowing(http: HttpClient, container: string, path: string): Promise<PathStat | undefined> {
  const st = await statContainerPath(http, container, path).catch((e: unknown) => {
    if (e instanceof EngineError && e.status === 404) return undefined;
    throw e;
  });
  if (st && isSymlinkMode(st.mode) && st.linkTarget) return statFollowing(http, container, st.linkTarget);
  return st;
}
