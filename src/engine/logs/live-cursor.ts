import { stat, type FileHandle } from 'node:fs/promises';
import { RecordLineSplitter } from './record-lines.js';
import { openIfPresent } from './snapshot.js';

const READ_BYTES = 64 * 1024;

/**
 * Reads the live log file forward from an offset, complete records only. The writer renames (or unlinks) the live
 * file on rotation and creates a new one, so a changed inode at `path` means: finish the old file, then start the new.
 */
export class LiveCursor {
  private splitter = new RecordLineSplitter();
  private readonly buffer = Buffer.allocUnsafe(READ_BYTES);
  private inode: number | undefined;

  private constructor(
    private readonly path: string,
    private handle: FileHandle | undefined,
    private offset: number,
  ) {}

  static async start(path: string, handle: FileHandle | undefined, offset: number): Promise<LiveCursor> {
    const cursor = new LiveCursor(path, handle, offset);
    cursor.inode = handle ? (await handle.stat()).ino : undefined;
    return cursor;
  }

  /** The complete record lines written since the last call, batch by batch. */
  async *readAvailable(): AsyncGenerator<string[]> {
    if (!this.handle && !(await this.openLive())) return;
    for (;;) {
      const { bytesRead } = await this.handle!.read(this.buffer, 0, READ_BYTES, this.offset);
      if (bytesRead === 0) return;
      this.offset += bytesRead;
      yield this.splitter.push(this.buffer.subarray(0, bytesRead));
    }
  }

  /** True when the writer has started a new live file; the caller reads the old one dry, then calls `switchToNewFile`. */
  async rotated(): Promise<boolean> {
    const current = await stat(this.path).catch(() => undefined);
    if (!current) return false; // between rename and create: the new file is about to appear
    return this.handle !== undefined && current.ino !== this.inode;
  }

  async switchToNewFile(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    this.offset = 0;
    this.splitter = new RecordLineSplitter(); // a torn record at the end of the old file cannot continue in the new one
    await this.openLive();
  }

  async close(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  private async openLive(): Promise<boolean> {
    this.handle = await openIfPresent(this.path);
    this.inode = this.handle ? (await this.handle.stat()).ino : undefined;
    return this.handle !== undefined;
  }
}
