import { Transform, type Readable } from 'node:stream';

/** The stream, counted as it flows (docker cp's "Successfully copied" size); read the count at the end. */
export function countBytes(stream: Readable): { stream: Readable; count: () => number } {
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      done(null, chunk);
    },
  });
  stream.on('error', (e) => counter.destroy(e));
  return { stream: stream.pipe(counter), count: () => total };
}

/** Docker's HumanSize: decimal units, four significant digits. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(4))}${units[unit]}`;
}
