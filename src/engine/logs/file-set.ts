import { readdir, rename, unlink, open } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/** One file of a container's log: `path` (live, index 0) or a rotated `path.N` / `path.N.gz`. */
export interface LogFileRef {
  path: string;
  index: number;
  gzipped: boolean;
}

/** The log's files oldest first (path.N ... path.1, path); where both path.N and path.N.gz exist (mid-compression), the plain one. */
export async function listLogFiles(livePath: string): Promise<LogFileRef[]> {
  const base = basename(livePath);
  const names = await readdir(dirname(livePath)).catch(() => [] as string[]);
  const byIndex = new Map<number, LogFileRef>();
  for (const name of names) {
    const ref = rotatedRef(livePath, base, name);
    if (ref && (!byIndex.has(ref.index) || !ref.gzipped)) byIndex.set(ref.index, ref);
  }
  const rotated = [...byIndex.values()].sort((a, b) => b.index - a.index);
  return names.includes(base) ? [...rotated, { path: livePath, index: 0, gzipped: false }] : rotated;
}

function rotatedRef(livePath: string, base: string, name: string): LogFileRef | undefined {
  if (!name.startsWith(`${base}.`)) return undefined;
  const match = /^(\d+)(\.gz)?$/.exec(name.slice(base.length + 1));
  if (!match || match[1] === '0') return undefined;
  return { path: join(dirname(livePath), name), index: Number(match[1]), gzipped: match[2] !== undefined };
}

/**
 * Shifts the rotated files up by one (dropping what would exceed `maxFiles`) and moves the live file to `path.1`.
 * The live file is renamed or unlinked, never truncated in place, so a follower holding it open sees its inode change.
 */
export async function shiftRotatedFiles(livePath: string, maxFiles: number): Promise<void> {
  if (maxFiles <= 1) return ignoreMissing(unlink(livePath));
  await Promise.all([ignoreMissing(unlink(`${livePath}.${maxFiles - 1}`)), ignoreMissing(unlink(`${livePath}.${maxFiles - 1}.gz`))]);
  for (let i = maxFiles - 2; i >= 1; i--) {
    await ignoreMissing(rename(`${livePath}.${i}`, `${livePath}.${i + 1}`));
    await ignoreMissing(rename(`${livePath}.${i}.gz`, `${livePath}.${i + 1}.gz`));
  }
  await ignoreMissing(rename(livePath, `${livePath}.1`));
}

/** gzips `file` to `file.gz` (through a temporary name, so readers never see half a gzip) and removes `file`. */
export async function compressFile(file: string): Promise<void> {
  const temporary = `${file}.gz.tmp`;
  try {
    await pipeline(createReadStream(file), createGzip(), createWriteStream(temporary, { mode: 0o640 }));
  } catch (e) {
    await ignoreMissing(unlink(temporary));
    throw e;
  }
  await rename(temporary, `${file}.gz`);
  await unlink(file);
}

export async function openForAppend(path: string) {
  return open(path, 'a', 0o640);
}

async function ignoreMissing(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
