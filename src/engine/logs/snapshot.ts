import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { listLogFiles, type LogFileRef } from './file-set.js';
import { recordLines } from './record-lines.js';

/** A rotated file, opened: the handle keeps its content readable even if the writer renames or deletes it meanwhile. */
export interface OpenedFile {
  ref: LogFileRef;
  handle: FileHandle;
}

/** The log's files opened at one moment: rotated ones oldest first, and the live one (absent until the container wrote). */
export interface LogSnapshot {
  rotated: OpenedFile[];
  live: FileHandle | undefined;
}

export async function openSnapshot(livePath: string): Promise<LogSnapshot> {
  const opened: OpenedFile[] = [];
  for (const ref of await listLogFiles(livePath)) {
    const handle = await openIfPresent(ref.path); // a file may be rotated away between listing and opening
    if (handle) opened.push({ ref, handle });
  }
  const liveIndex = opened.findIndex((f) => f.ref.index === 0);
  const live = liveIndex === -1 ? undefined : opened.splice(liveIndex, 1)[0]!.handle;
  return { rotated: opened, live };
}

export async function closeSnapshot(snapshot: LogSnapshot): Promise<void> {
  await Promise.all(snapshot.rotated.map((f) => f.handle.close().catch(() => undefined)));
}

export async function openIfPresent(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Every record line of a rotated file, decompressing `.gz` ones. */
export function linesOfFile(file: OpenedFile): AsyncGenerator<string> {
  const raw = file.handle.createReadStream({ start: 0, autoClose: false });
  return recordLines(file.ref.gzipped ? raw.pipe(createGunzip()) : raw);
}
