/** A point in time with nanosecond resolution: whole epoch seconds plus nanoseconds within that second. */
export interface NanoTime {
  seconds: number;
  nanos: number;
}

const NS_PER_SECOND = 1_000_000_000;
// Re-read the wall clock this often so that log times follow NTP steps instead of drifting on hrtime.
const REANCHOR_NS = 10 * NS_PER_SECOND;

/** Wall-clock time at nanosecond resolution, strictly increasing per instance (equal readings are bumped by 1 ns). */
export class MonotonicClock {
  private anchorWall: NanoTime = { seconds: 0, nanos: 0 };
  private anchorHr = 0n;
  private last: NanoTime = { seconds: 0, nanos: -1 };

  constructor() {
    this.reanchor();
  }

  now(): NanoTime {
    let elapsed = Number(process.hrtime.bigint() - this.anchorHr);
    if (elapsed > REANCHOR_NS) {
      this.reanchor();
      elapsed = 0;
    }
    const total = this.anchorWall.nanos + elapsed;
    const reading = { seconds: this.anchorWall.seconds + Math.floor(total / NS_PER_SECOND), nanos: total % NS_PER_SECOND };
    this.last = compareNano(reading, this.last) > 0 ? reading : addNanos(this.last, 1);
    return this.last;
  }

  /** The next instant after the last reading: for further lines of one pipe read, without another clock call. */
  tick(): NanoTime {
    this.last = addNanos(this.last, 1);
    return this.last;
  }

  private reanchor(): void {
    const wallMs = Date.now();
    this.anchorWall = { seconds: Math.floor(wallMs / 1000), nanos: (wallMs % 1000) * 1_000_000 };
    this.anchorHr = process.hrtime.bigint();
  }
}

export function compareNano(a: NanoTime, b: NanoTime): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

function addNanos(t: NanoTime, ns: number): NanoTime {
  const total = t.nanos + ns;
  return { seconds: t.seconds + Math.floor(total / NS_PER_SECOND), nanos: total % NS_PER_SECOND };
}

export function nanoFromDate(date: Date): NanoTime {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function dateFromNano(t: NanoTime): Date {
  return new Date(t.seconds * 1000 + Math.floor(t.nanos / 1_000_000));
}

/** Formats as Docker's RFC3339NanoFixed ("2006-01-02T15:04:05.000000000Z"), caching the per-second prefix. */
export class NanoFormatter {
  private cachedSeconds = NaN;
  private cachedPrefix = '';

  format(t: NanoTime): string {
    if (t.seconds !== this.cachedSeconds) {
      this.cachedSeconds = t.seconds;
      this.cachedPrefix = new Date(t.seconds * 1000).toISOString().slice(0, 19);
    }
    return `${this.cachedPrefix}.${String(t.nanos).padStart(9, '0')}Z`;
  }
}

const sharedFormatter = new NanoFormatter();

export function formatNano(t: NanoTime): string {
  return sharedFormatter.format(t);
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses an RFC3339 timestamp with up to nanosecond precision (the `time` field of a json-file record). */
export function parseRfc3339Nano(text: string): NanoTime | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const zone = match[3]!.toUpperCase();
  const ms = Date.parse(`${match[1]}${zone === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(ms)) return undefined;
  const nanos = match[2] ? Number(match[2].padEnd(9, '0')) : 0;
  return { seconds: Math.floor(ms / 1000), nanos };
}
