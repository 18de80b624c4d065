/** Docker's container archive API: stat a path, tar it out, extract a tar into a directory. */
import { chmod, lchown, lstat, mkdir, utimes } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { extractTar, type ExtractOptions, type NodeType } from '../../archive/extract.js';
import { goFileMode, type PathStat } from '../../archive/path-stat.js';
import { lsetxattr, mknod, S_IFBLK, S_IFCHR, S_IFIFO } from '../../../runtime/syscalls.js';
import { tarTree } from '../../archive/tar-stream.js';
import { ApiError, badRequest, notFound } from '../../api/http.js';
import type { EngineContext } from '../../context.js';
import { archiveRootName, containerView, linkTargetOf, resolveContainerPath, type ContainerView, type ResolvedPath } from '../archive/view.js';
import type { ContainerRecord } from '../record.js';

/** HEAD /containers/{id}/archive. */
export async function statContainerPath(engine: EngineContext, record: ContainerRecord, path: string): Promise<PathStat> {
  const view = await containerView(engine, record);
  return pathStat(view, await mustResolve(view, record, path));
}

/** GET /containers/{id}/archive: the stat and a tar of the path, named after its last part. */
export async function archiveContainerPath(engine: EngineContext, record: ContainerRecord, path: string): Promise<{ stat: PathStat; tar: AsyncGenerator<Buffer> }> {
  const view = await containerView(engine, record);
  const resolved = await mustResolve(view, record, path);
  return { stat: await pathStat(view, resolved), tar: tarTree(view.tree, resolved.path, resolved.entry, archiveRootName(resolved.absPath)) };
}

/** PUT /containers/{id}/archive: the tar extracted into the existing directory `path`. */
export async function extractToContainer(engine: EngineContext, record: ContainerRecord, path: string, body: Readable, opts: { noOverwriteDirNonDir: boolean }): Promise<void> {
  const view = await containerView(engine, record);
  const resolved = await mustResolve(view, record, path, true);
  if (resolved.entry.kind !== 'directory') throw badRequest('extraction point is not a directory');
  // A stopped container's read-only root stays as its image made it (a running one's mount refuses by itself).
  if (!view.running && record.hostConfig.ReadonlyRootfs === true) throw new ApiError(403, 'container rootfs is marked read-only');
  const dir = view.running ? join(view.writeRoot, resolved.path) : await upperDirFor(view, resolved.path);
  await extractTar(body, dir, { ...opts, shownAs: resolved.path, mknod: makeNode, ...(view.running ? {} : { onWhiteoutReplaced: makeOpaque }) });
}

const NODE_TYPES: Record<NodeType, number> = { CharacterDevice: S_IFCHR, BlockDevice: S_IFBLK, FIFO: S_IFIFO };

const makeNode: ExtractOptions['mknod'] = (path, type, mode, major, minor) => mknod(path, NODE_TYPES[type], mode, major, minor);

/** A directory replacing a whiteout must hide what the layers below had there, as overlayfs's own would. */
const makeOpaque = (path: string): void => lsetxattr(path, 'trusted.overlay.opaque', 'y');

async function mustResolve(view: ContainerView, record: ContainerRecord, path: string, followLast?: boolean): Promise<ResolvedPath> {
  const resolved = await resolveContainerPath(view, path, followLast);
  if (!resolved) throw notFound(`Could not find the file ${path} in container ${record.name}`);
  return resolved;
}

async function pathStat(view: ContainerView, resolved: ResolvedPath): Promise<PathStat> {
  const st = resolved.entry.stat;
  return {
    name: posix.basename(resolved.absPath) || '/',
    size: st.size,
    mode: goFileMode(st),
    mtime: st.mtime.toISOString(),
    linkTarget: await linkTargetOf(view, resolved),
  };
}

/**
 * The upper dir's copy of a directory of the merged view, made when missing with the attributes the layers
 * give it (as overlayfs's own copy-up would), so that the merged view keeps showing the same directories.
 */
async function upperDirFor(view: ContainerView, path: string): Promise<string> {
  let current = '/';
  for (const part of path.split('/').filter(Boolean)) {
    current = posix.join(current, part);
    const host = join(view.writeRoot, current);
    if (await lstat(host).catch(() => undefined)) continue;
    const { stat } = (await view.tree.lookup(current, false))!.entry;
    await mkdir(host);
    await lchown(host, stat.uid, stat.gid);
    await chmod(host, stat.mode & 0o7777);
    await utimes(host, stat.atime, stat.mtime);
  }
  return join(view.writeRoot, path);
}
