const NEWLINE = 0x0a;

/** Splits raw json-file bytes into record lines (without their '\n'); `carry` holds an unfinished line between chunks. */
export class RecordLineSplitter {
  private carry: Buffer | undefined;

  /** The complete lines in `chunk` (which may be reused by the caller afterwards). */
  push(chunk: Buffer): string[] {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const lines: string[] = [];
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
      if (nl > start) lines.push(data.toString('utf8', start, nl));
      start = nl + 1;
    }
    this.carry = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
    return lines;
  }

  /** An unfinished last line, if any (a whole file's last record may lack its '\n' after a crash). */
  rest(): string | undefined {
    const rest = this.carry?.toString('utf8');
    this.carry = undefined;
    return rest;
  }
}

/** All record lines of a byte stream, the unterminated last one included. */
export async function* recordLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const splitter = new RecordLineSplitter();
  for await (const chunk of chunks) yield* splitter.push(chunk);
  const rest = splitter.rest();
  if (rest) yield rest;
}
