/**
 * Docker's copier reads a container's output into a 16 KiB buffer: a line that does not fit (newline included)
 * is logged in 16 KiB pieces without '\n', the last piece keeps the line's '\n'.
 */
export const MAX_RECORD_BYTES = 16 * 1024;

const NEWLINE = 0x0a;

/** Cuts one stream's bytes into log lines; keeps an unterminated tail until more bytes (or the end) come. */
export class LineSplitter {
  private pending: Buffer | undefined;

  constructor(
    /** One line (or piece of one): bytes [start, end) of `data`, its '\n' included when it has one. */
    private readonly emit: (data: Buffer, start: number, end: number) => void,
    private readonly maxBytes = MAX_RECORD_BYTES,
  ) {}

  push(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let start = 0;
    for (let nl = data.indexOf(NEWLINE, start); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
      this.emitLine(data, start, nl + 1);
      start = nl + 1;
    }
    start = this.emitOversizedPieces(data, start, data.length);
    if (start < data.length) this.pending = Buffer.from(data.subarray(start)); // copy: do not pin the whole chunk
  }

  /** The stream ended: an unterminated last line is logged as it is. */
  end(): void {
    if (this.pending) this.emit(this.pending, 0, this.pending.length);
    this.pending = undefined;
  }

  private emitLine(data: Buffer, start: number, end: number): void {
    const rest = this.emitOversizedPieces(data, start, end);
    this.emit(data, rest, end);
  }

  /** Logs full-size pieces while more than `maxBytes` remain in [start, end); returns where the rest starts. */
  private emitOversizedPieces(data: Buffer, start: number, end: number): number {
    while (end - start > this.maxBytes) {
      const cut = utf8Boundary(data, start + this.maxBytes, start);
      this.emit(data, start, cut);
      start = cut;
    }
    return start;
  }
}

/** Moves a cut back off UTF-8 continuation bytes so that no character is torn in two (Docker tears them; we need not). */
function utf8Boundary(data: Buffer, cut: number, floor: number): number {
  let at = cut;
  while (at > floor && at > cut - 4 && (data[at]! & 0xc0) === 0x80) at--;
  return at > floor ? at : cut;
}
