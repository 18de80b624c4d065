/**
 * COPY and ADD: which sources a step names (globs expanded), a digest of what it would copy (the step's
 * cache key), and the tar that puts them at their destination in the image, with Docker's rules:
 * - a directory source copies its content, not the directory itself;
 * - several sources (or a glob matching several) need a destination ending in `/`;
 * - a destination ending in `/` or naming an existing directory is a directory to copy into; otherwise a
 *   single file becomes the destination;
 * - missing destination directories are made (0755, owned by the --chown user), existing ones are left as
 *   they are (no tar header: their metadata stays);
 * - files keep their mode and mtime; from the context they become 0:0 (or --chown), from an image they
 *   keep their owner (or --chown); --chmod sets the mode of the files and directories copied;
 * - ADD unpacks a local tar archive (plain, gzip, bzip2, xz, zstd) into the destination directory.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, type Stats } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import type { HeaderData } from 'tar';
import { InternalError, UserError } from '../../errors.js';
import { fileContent, headerBlocks, type TreeEntry } from '../../engine/archive/tar-stream.js';
import type { ImageTree } from '../../volume/image-tree.js';
import { archiveEntries, detectArchive, type Compression } from './archive.js';
import { compileGlob, hasWildcard } from './glob.js';
import { treePath, type DirectoryEntry, type SourceTree } from './source-tree.js';

export interface CopyOptions {
  /** --chown, resolved to numbers by the caller. */
  chown?: { uid: number; gid: number };
  /** --chmod. */
  chmod?: number;
  /** Keep the sources' uid/gid (`--from`); otherwise what is copied belongs to 0:0 (unless --chown). */
  keepOwnership: boolean;
  /** ADD: a local tar archive is unpacked into the destination instead of copied. */
  extractArchives: boolean;
}

export interface ResolvedSource {
  /** Where it is in the tree: absolute, symlinks followed (a source naming a symlink stands for its target). */
  path: string;
  isDir: boolean;
  /** The name it gets inside a destination directory: its last part as written or as a glob matched it. */
  name: string;
  entry: TreeEntry;
  /** The source as the Dockerfile wrote it. */
  source: string;
}

export type DestKind = 'dir' | 'file' | undefined;

export interface DestProbe {
  /** What is at an absolute path of the image the sources are copied into (symlinks followed). */
  destExists: (absPath: string) => Promise<DestKind>;
  /**
   * Optional, recommended: an existing path of that image with its symlinks followed inside the image
   * (undefined when missing), so that a destination under a symlinked directory (`/var/run` -> `/run`,
   * `/lib` -> `/usr/lib`) lands where the symlink points instead of replacing it with a directory.
   * `imageDestProbe` makes both functions from an ImageTree.
   */
  resolveDest?: (absPath: string) => Promise<string | undefined>;
}

export interface CopyTarOptions extends CopyOptions, DestProbe {
  /**
   * Where the tar is extracted (its names are relative to it); `/` when not given. Pass `extractionRoot(...)`
   * to have the existing destination directories copied up with their metadata by the extraction itself.
   */
  root?: string;
}

// ---------------------------------------------------------------------------------------------------------
// sources

/**
 * The sources of a step, each inside the tree (`..` cannot leave its root), globs expanded (sorted by path).
 * A source matching nothing is a UserError `"<src>": not found`.
 */
export async function resolveSources(tree: SourceTree, sources: string[]): Promise<ResolvedSource[]> {
  const out: ResolvedSource[] = [];
  for (const source of sources) {
    const path = treePath(source);
    const candidates = hasWildcard(path) ? await expandGlob(tree, path) : [path];
    let found = 0;
    for (const candidate of candidates) {
      const hit = await tree.lookup(candidate, true);
      if (!hit) continue;
      found++;
      out.push({ path: hit.path, isDir: hit.entry.kind === 'directory', name: posix.basename(candidate), entry: hit.entry, source });
    }
    if (found === 0) throw new UserError(`"${source}": not found`);
  }
  return out;
}

/** The paths (as written, not resolved) a glob matches, part by part. */
async function expandGlob(tree: SourceTree, path: string): Promise<string[]> {
  let prefixes = ['/'];
  for (const part of path.split('/').filter(Boolean)) {
    const next: string[] = [];
    if (!hasWildcard(part) && !part.includes('\\')) {
      for (const prefix of prefixes) next.push(posix.join(prefix, part));
    } else {
      const pattern = compileGlob(part);
      for (const prefix of prefixes) {
        const dir = await tree.lookup(prefix, true);
        if (dir?.entry.kind !== 'directory') continue;
        for (const child of await tree.children(dir.path, dir.entry)) {
          if (pattern.test(child.name)) next.push(posix.join(prefix, child.name));
        }
      }
    }
    prefixes = next;
    if (prefixes.length === 0) break;
  }
  return prefixes;
}

// ---------------------------------------------------------------------------------------------------------
// digest

interface CachedHash {
  size: number;
  mtimeMs: number;
  ino: number;
  digest: string;
}

/** Content hashes of files already read, by host path (valid while size, mtime and inode are the same). */
const fileHashes = new Map<string, CachedHash>();

/**
 * `sha256:<hex>` of what the step would copy: names, types, modes, owners when kept, symlink targets, file
 * contents, and the options. Not mtimes nor inode numbers: touching a file keeps the cache.
 */
export async function sourcesDigest(tree: SourceTree, sources: ResolvedSource[], opts: CopyOptions): Promise<string> {
  const records: DigestRecord[] = [];
  for (const source of sources) {
    records.push({ fields: ['source', source.name, source.isDir] });
    await collect(records, tree, source.path, source.entry, '.', opts);
  }
  // Small files are read synchronously (several times faster than through the thread pool), a batch at a
  // time so that the event loop still turns; big ones are streamed, a few at a time.
  const files = records.filter((r) => r.file);
  const small = files.filter((r) => r.file!.stat.size <= SMALL_FILE);
  for (let i = 0; i < small.length; i++) {
    const record = small[i]!;
    record.fields.push(smallFileHash(record.file!.hostPath, record.file!.stat));
    if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
  }
  const big = files.filter((r) => r.file!.stat.size > SMALL_FILE);
  let next = 0;
  const worker = async () => {
    while (next < big.length) {
      const record = big[next++]!;
      record.fields.push(await bigFileHash(record.file!.hostPath, record.file!.stat));
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, big.length) }, worker));
  const hash = createHash('sha256');
  hash.update(`${JSON.stringify({ v: 1, chown: opts.chown ?? null, chmod: opts.chmod ?? null, keepOwnership: opts.keepOwnership, extractArchives: opts.extractArchives })}\n`);
  for (const record of records) hash.update(`${JSON.stringify(record.fields)}\n`);
  return `sha256:${hash.digest('hex')}`;
}

const HASH_CONCURRENCY = 8;
const SMALL_FILE = 64 * 1024;

interface DigestRecord {
  fields: Array<string | number | boolean>;
  /** A regular file whose content hash is still to be added to `fields`. */
  file?: { hostPath: string; stat: Stats };
}

/** The records of an entry and everything below it, in tar order (directories listed in parallel). */
async function collect(records: DigestRecord[], tree: SourceTree, path: string, entry: TreeEntry, rel: string, opts: CopyOptions): Promise<void> {
  const st = entry.stat;
  const record: DigestRecord = { fields: [rel, typeOf(st), st.mode & 0o7777] };
  if (opts.keepOwnership && !opts.chown) record.fields.push(st.uid, st.gid);
  if (entry.kind === 'other') {
    if (st.isSymbolicLink()) record.fields.push(await readlink(entry.hostPath));
    else if (st.isFile()) {
      record.fields.push(st.size);
      record.file = { hostPath: entry.hostPath, stat: st };
    } else if (st.isCharacterDevice() || st.isBlockDevice()) record.fields.push(st.rdev);
  }
  records.push(record);
  if (entry.kind !== 'directory') return;
  const children = await tree.children(path, entry);
  const below = await Promise.all(
    children.map(async (child) => {
      const own: DigestRecord[] = [];
      await collect(own, tree, posix.join(path, child.name), child.entry, `${rel}/${child.name}`, opts);
      return own;
    }),
  );
  for (const list of below) records.push(...list);
}

function cachedHash(hostPath: string, st: Stats): string | undefined {
  const cached = fileHashes.get(hostPath);
  if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs && cached.ino === st.ino) return cached.digest;
  return undefined;
}

/** Past this many entries the cache starts over (a long-running daemon building many contexts). */
const MAX_CACHED_HASHES = 200_000;

function remember(hostPath: string, st: Stats, digest: string): string {
  if (fileHashes.size >= MAX_CACHED_HASHES) fileHashes.clear();
  fileHashes.set(hostPath, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, digest });
  return digest;
}

function smallFileHash(hostPath: string, st: Stats): string {
  return cachedHash(hostPath, st) ?? remember(hostPath, st, createHash('sha256').update(readFileSync(hostPath)).digest('hex'));
}

async function bigFileHash(hostPath: string, st: Stats): Promise<string> {
  const cached = cachedHash(hostPath, st);
  if (cached) return cached;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(hostPath)) hash.update(chunk as Buffer);
  return remember(hostPath, st, hash.digest('hex'));
}

function typeOf(st: Stats): string {
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFile()) return 'file';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return 'other';
}

// ---------------------------------------------------------------------------------------------------------
// destination

type PlanItem =
  | { kind: 'contents'; source: ResolvedSource; dir: string } // a directory: its content into `dir`
  | { kind: 'file'; source: ResolvedSource; target: string } // anything else, to `target`
  | { kind: 'unpack'; source: ResolvedSource; dir: string; compression: Compression }; // ADD of an archive

interface Plan {
  items: PlanItem[];
  /** `/` down to the directory everything goes into (symlinks resolved), each with whether it exists. */
  chain: Array<{ path: string; exists: boolean }>;
}

/** The multi-source message, as Docker words it. */
function needsDirectoryMessage(opts: CopyOptions): string {
  return `When using ${opts.extractArchives ? 'ADD' : 'COPY'} with more than one source file, the destination must be a directory and end with a /`;
}

async function planCopy(sources: ResolvedSource[], dest: string, opts: CopyOptions & DestProbe): Promise<Plan> {
  const intoDirectory = dest.endsWith('/') || dest.endsWith('/.') || dest === '.';
  if (sources.length > 1 && !intoDirectory) throw new UserError(needsDirectoryMessage(opts));
  if (sources.length === 0) throw new InternalError('COPY without sources');
  const destPath = treePath(dest);
  const kinds = await Promise.all(sources.map((s) => sourceKind(s, opts)));
  const resolvedDest = await resolveDestPath(destPath, opts, true);
  const destKind = await opts.destExists(resolvedDest);
  const first = sources[0]!;
  const firstKind = kinds[0]!;
  if (sources.length === 1 && firstKind === 'file' && !intoDirectory && destKind !== 'dir') {
    // one file becomes the destination (a symlink there is replaced, not followed)
    const target = await resolveDestPath(destPath, opts, false);
    return { items: [{ kind: 'file', source: first, target }], chain: await chainOf(posix.dirname(target), dest, opts) };
  }
  if (destKind === 'file') throw new UserError(`cannot copy to "${dest}": it is not a directory`);
  const items = sources.map((source, i): PlanItem => {
    const kind = kinds[i]!;
    if (kind === 'dir') return { kind: 'contents', source, dir: resolvedDest };
    if (kind === 'file') return { kind: 'file', source, target: posix.join(resolvedDest, source.name || 'file') };
    return { kind: 'unpack', source, dir: resolvedDest, compression: kind.compression };
  });
  return { items, chain: await chainOf(resolvedDest, dest, opts) };
}

async function sourceKind(source: ResolvedSource, opts: CopyOptions): Promise<'dir' | 'file' | { compression: Compression }> {
  if (source.entry.kind === 'directory') return 'dir';
  if (!opts.extractArchives || !source.entry.stat.isFile()) return 'file';
  const compression = await detectArchive(source.entry.hostPath, source.source);
  return compression ? { compression } : 'file';
}

/** `path` with the symlinks of its existing parents followed in the image (the last part too with `followLast`). */
async function resolveDestPath(path: string, probe: DestProbe, followLast: boolean): Promise<string> {
  if (!probe.resolveDest) return path;
  const parts = path.split('/').filter(Boolean);
  let current = '/';
  for (let i = 0; i < parts.length; i++) {
    const candidate = posix.join(current, parts[i]!);
    if (i === parts.length - 1 && !followLast) return candidate;
    const resolved = await probe.resolveDest(candidate);
    if (resolved === undefined) return posix.join(candidate, ...parts.slice(i + 1)); // missing from here on
    current = resolved;
  }
  return current;
}

/** Each directory from `/` down to `dir`, with whether the image has it; a file on the way is an error. */
async function chainOf(dir: string, dest: string, probe: DestProbe): Promise<Plan['chain']> {
  const chain: Plan['chain'] = [{ path: '/', exists: true }];
  let missing = false;
  let current = '/';
  for (const part of dir.split('/').filter(Boolean)) {
    current = posix.join(current, part);
    if (!missing) {
      const kind = await probe.destExists(current);
      if (kind === 'file') throw new UserError(`cannot copy to "${dest}": "${current}" is not a directory`);
      missing = kind === undefined;
    }
    chain.push({ path: current, exists: !missing });
  }
  return chain;
}

/**
 * The deepest existing directory the copy writes into (symlinks resolved): extracting `copyTar(..., { root })`
 * there rather than at `/` has the extraction copy it and its parents up with the image's metadata, where a
 * tar extracted at `/` would have the extractor create the missing upper-dir copies with default metadata.
 */
export async function extractionRoot(sources: ResolvedSource[], dest: string, opts: CopyOptions & DestProbe): Promise<string> {
  const plan = await planCopy(sources, dest, opts);
  return plan.chain.filter((c) => c.exists).at(-1)!.path;
}

/** `destExists` and `resolveDest` answered by the merged filesystem of the image copied into. */
export function imageDestProbe(image: ImageTree): Required<DestProbe> {
  return {
    async destExists(absPath) {
      const found = await image.lookup(absPath, true);
      if (!found) return undefined;
      return found.entry.kind === 'directory' ? 'dir' : 'file';
    },
    async resolveDest(absPath) {
      return (await image.lookup(absPath, true))?.path;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// the tar

interface TarState {
  tree: SourceTree;
  opts: CopyTarOptions;
  root: string;
  /** Directories the tar has a header for, or that the image has (no header for those). */
  dirs: Set<string>;
  /** Inodes already in the tar (dev:ino -> name): another name of one is a hard link. */
  links: Map<string, string>;
  now: Date;
}

/** A tar to extract at `/` (or at `opts.root`) putting the sources at `dest` (absolute). */
export async function* copyTar(tree: SourceTree, sources: ResolvedSource[], dest: string, opts: CopyTarOptions): AsyncGenerator<Buffer> {
  const plan = await planCopy(sources, dest, opts);
  const root = treePath(opts.root ?? '/');
  const state: TarState = { tree, opts, root, dirs: new Set(plan.chain.filter((c) => c.exists).map((c) => c.path)), links: new Map(), now: new Date() };
  if (!state.dirs.has(root)) throw new InternalError(`the extraction root ${root} is not an existing directory of the destination`);
  const base = plan.chain.at(-1)!.path;
  for (const item of plan.items) {
    if (item.kind === 'file') {
      yield* missingDirs(state, posix.dirname(item.target));
      yield* entryBlocks(state, item.source.path, item.source.entry, item.target);
    } else if (item.kind === 'contents') {
      yield* missingDirs(state, posix.dirname(base));
      if (!state.dirs.has(item.dir)) yield* dirHeader(state, item.dir, item.source.entry.stat);
      const entry = item.source.entry as DirectoryEntry;
      for (const child of await tree.children(item.source.path, entry)) {
        yield* entryBlocks(state, posix.join(item.source.path, child.name), child.entry, posix.join(item.dir, child.name));
      }
    } else {
      yield* missingDirs(state, item.dir);
      yield* unpackBlocks(state, item.source, item.dir, item.compression);
    }
  }
  yield Buffer.alloc(1024); // end of archive
}

/** Headers for the directories from `/` down to `dir` that neither the image nor the tar has yet. */
async function* missingDirs(state: TarState, dir: string): AsyncGenerator<Buffer> {
  const parts = dir.split('/').filter(Boolean);
  let current = '/';
  for (const part of parts) {
    current = posix.join(current, part);
    if (!state.dirs.has(current)) yield* dirHeader(state, current);
  }
}

/** A directory made for the copy: from `stat` (a directory source's own), else 0755 and now. */
function* dirHeader(state: TarState, abs: string, stat?: Stats): Generator<Buffer> {
  state.dirs.add(abs);
  const { opts } = state;
  const owner = stat ? ownerOf(stat, opts) : (opts.chown ?? { uid: 0, gid: 0 });
  const mode = stat ? (opts.chmod ?? stat.mode & 0o7777) : 0o755;
  yield* headerBlocks({ path: `${nameOf(state, abs)}/`, type: 'Directory', mode, ...owner, mtime: stat?.mtime ?? state.now, size: 0 });
}

/** An entry of the tree and everything below it, at `abs` in the image. */
async function* entryBlocks(state: TarState, path: string, entry: TreeEntry, abs: string): AsyncGenerator<Buffer> {
  const { opts } = state;
  const st = entry.stat;
  const name = nameOf(state, abs);
  const base: HeaderData = { path: name, mode: st.mode & 0o7777, ...ownerOf(st, opts), mtime: st.mtime, size: 0 };
  if (entry.kind === 'directory') {
    state.dirs.add(abs);
    yield* headerBlocks({ ...base, path: `${name}/`, type: 'Directory', mode: opts.chmod ?? base.mode });
    for (const child of await state.tree.children(path, entry)) {
      yield* entryBlocks(state, posix.join(path, child.name), child.entry, posix.join(abs, child.name));
    }
    return;
  }
  state.dirs.delete(abs); // a directory replaced by something else
  if (st.isSymbolicLink()) {
    yield* headerBlocks({ ...base, type: 'SymbolicLink', linkpath: await readlink(entry.hostPath) });
  } else if (st.isFile()) {
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = state.links.get(key);
      if (first !== undefined) {
        yield* headerBlocks({ ...base, type: 'Link', linkpath: first, mode: opts.chmod ?? base.mode });
        return;
      }
      state.links.set(key, name);
    }
    yield* headerBlocks({ ...base, type: 'File', mode: opts.chmod ?? base.mode, size: st.size });
    if (st.size > 0) yield* fileContent(entry.hostPath, st.size);
  } else if (st.isCharacterDevice() || st.isBlockDevice()) {
    const device = { devmaj: Math.floor(st.rdev / 256) & 0xfff, devmin: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) };
    yield* headerBlocks({ ...base, ...device, type: st.isCharacterDevice() ? 'CharacterDevice' : 'BlockDevice' });
  } else if (st.isFIFO()) {
    yield* headerBlocks({ ...base, type: 'FIFO' });
  }
  // sockets: nothing a tar can hold
}

/** ADD: the archive's entries under `dir` (their owners kept unless --chown; --chmod does not apply). */
async function* unpackBlocks(state: TarState, source: ResolvedSource, dir: string, compression: Compression): AsyncGenerator<Buffer> {
  if (source.entry.kind !== 'other') throw new InternalError('unpacking a directory');
  const { opts } = state;
  for await (const item of archiveEntries(source.entry.hostPath, compression, source.source)) {
    const rel = archiveName(item.path, source.source);
    if (rel === '') continue; // the archive's own `./`: the destination directory is made (or kept) as it is
    const abs = posix.join(dir, rel);
    yield* missingDirs(state, posix.dirname(abs));
    const h = item.header;
    const type = h.type === 'OldFile' || h.type === 'ContiguousFile' ? 'File' : h.type;
    const data: HeaderData = { path: nameOf(state, abs), type, mode: (h.mode ?? 0o644) & 0o7777, uid: opts.chown?.uid ?? h.uid ?? 0, gid: opts.chown?.gid ?? h.gid ?? 0, mtime: h.mtime ?? state.now, size: 0 };
    if (type === 'Directory') {
      state.dirs.add(abs);
      yield* headerBlocks({ ...data, path: `${data.path}/` });
      continue;
    }
    state.dirs.delete(abs);
    if (type === 'Link') data.linkpath = nameOf(state, posix.join(dir, archiveName(item.linkpath, source.source)));
    else if (type === 'SymbolicLink') data.linkpath = item.linkpath;
    else if (type === 'CharacterDevice' || type === 'BlockDevice') Object.assign(data, { devmaj: h.devmaj, devmin: h.devmin });
    else if (type === 'File') data.size = item.size;
    yield* headerBlocks(data);
    if (type !== 'File' || item.size === 0) continue;
    for await (const chunk of item.body()) yield chunk;
    const rest = item.size % 512;
    if (rest) yield Buffer.alloc(512 - rest);
  }
}

/** An archive entry's name relative to where it is unpacked; one leaving it is refused. */
function archiveName(name: string, shownAs: string): string {
  const normalized = posix.normalize(`./${name}`).replace(/\/+$/, '');
  if (normalized === '..' || normalized.startsWith('../')) throw new UserError(`cannot unpack "${shownAs}": the entry "${name}" is outside the destination`);
  return normalized === '.' ? '' : normalized;
}

function ownerOf(st: Stats, opts: CopyOptions): { uid: number; gid: number } {
  if (opts.chown) return { uid: opts.chown.uid, gid: opts.chown.gid };
  return opts.keepOwnership ? { uid: st.uid, gid: st.gid } : { uid: 0, gid: 0 };
}

/** The tar name of an absolute image path: relative to the extraction root. */
function nameOf(state: TarState, abs: string): string {
  const rel = posix.relative(state.root, abs);
  if (rel === '' || rel === '..' || rel.startsWith('../')) throw new InternalError(`${abs} is not below the extraction root ${state.root}`);
  return rel;
}
