import { humanSize as humanSizeWithPrecision } from '../../util/units.js';
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

/** Docker's HumanSize (as `docker cp` reports): four significant digits. */
export const humanSize = (bytes: number): string => humanSizeWithPrecision(bytes, 4);
