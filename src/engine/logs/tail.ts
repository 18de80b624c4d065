import type { FileHandle } from 'node:fs/promises';
import { linesOfFile, type OpenedFile } from './snapshot.js';

const BLOCK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** The last `count` record lines across the files (newest file last), oldest first: plain files are read backwards. */
export async function tailAcross(rotated: OpenedFile[], live: FileHandle | undefined, liveEnd: number, count: number): Promise<string[]> {
  const pieces: string[][] = [];
  let found = 0;
  if (live && count > 0) found += pushPiece(pieces, await lastLinesOfPlain(live, liveEnd, count));
  for (let i = rotated.length - 1; i >= 0 && found < count; i--) {
    const file = rotated[i]!;
    const wanted = count - found;
    const lines = file.ref.gzipped ? await lastLinesOfStream(linesOfFile(file), wanted) : await lastLinesOfPlain(file.handle, (await file.handle.stat()).size, wanted);
    found += pushPiece(pieces, lines);
  }
  return pieces.reverse().flat();
}

function pushPiece(pieces: string[][], lines: string[]): number {
  pieces.push(lines);
  return lines.length;
}

/** Where the last complete record of the first `size` bytes ends (a follower starts reading there). */
export async function completeRecordsEnd(handle: FileHandle, size: number): Promise<number> {
  for (let end = size; end > 0; end -= BLOCK_BYTES) {
    const start = Math.max(0, end - BLOCK_BYTES);
    const block = Buffer.allocUnsafe(end - start);
    const { bytesRead } = await handle.read(block, 0, block.length, start);
    const nl = block.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (nl !== -1) return start + nl + 1;
  }
  return 0;
}

/** The last `count` lines of [0, end) of a plain file, oldest first, reading 64 KiB blocks from the end. */
async function lastLinesOfPlain(handle: FileHandle, end: number, count: number): Promise<string[]> {
  const newestFirst: string[] = [];
  let carry: Buffer = Buffer.alloc(0);
  for (let position = end; position > 0 && newestFirst.length < count; ) {
    const size = Math.min(BLOCK_BYTES, position);
    position -= size;
    const block = Buffer.allocUnsafe(size);
    await handle.read(block, 0, size, position);
    carry = collectFromEnd(Buffer.concat([block, carry]), newestFirst, count);
    if (position === 0 && newestFirst.length < count) pushFirstLine(carry, newestFirst);
  }
  return newestFirst.reverse();
}

function pushFirstLine(head: Buffer, newestFirst: string[]): void {
  const length = head.length > 0 && head[head.length - 1] === NEWLINE ? head.length - 1 : head.length;
  if (length > 0) newestFirst.push(head.toString('utf8', 0, length));
}

/** Takes whole lines off the end of `data` into `newestFirst`; returns the unfinished head to prepend to the previous block. */
function collectFromEnd(data: Buffer, newestFirst: string[], count: number): Buffer {
  let end = data.length;
  while (newestFirst.length < count) {
    const lineEnd = end > 0 && data[end - 1] === NEWLINE ? end - 1 : end;
    const nl = lineEnd > 0 ? data.lastIndexOf(NEWLINE, lineEnd - 1) : -1;
    if (nl === -1) break;
    if (lineEnd > nl + 1) newestFirst.push(data.toString('utf8', nl + 1, lineEnd));
    end = nl + 1;
  }
  return data.subarray(0, end);
}

/** The last `count` lines of a stream that cannot be read backwards (gzip). */
async function lastLinesOfStream(lines: AsyncIterable<string>, count: number): Promise<string[]> {
  const kept: string[] = [];
  for await (const line of lines) {
    kept.push(line);
    if (kept.length > 2 * count) kept.splice(0, kept.length - count); // amortised trimming
  }
  return kept.slice(-count);
}

