import { UserError } from '../../errors.js';

// Go's time.ParseDuration units, which is what docker's --since/--until relative forms are ("0" alone is unix time 0, as in Docker).
const DURATION_UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const DURATION = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))*$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const UNIX_SECONDS = /^(\d+)(?:\.(\d{1,9}))?$/;
// 2006-01-02, 2006-01-02T15, ...T15:04, ...T15:04:05, ...T15:04:05.999999999, each with an optional Z or ±07:00.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * Docker's `--since`/`--until` value: a Go duration ("10m", "1h30m", "42s") taken back from `now`, unix seconds with an
 * optional fraction ("1700000000.5"), or an RFC3339-like date/time; without a zone it is the local time, as in Docker.
 */
export function parseSince(value: string, now: Date): Date {
  const text = value.trim();
  if (DURATION.test(text)) return new Date(now.getTime() - durationMs(text));
  const unix = UNIX_SECONDS.exec(text);
  if (unix) return new Date(Number(unix[1]) * 1000 + Math.floor(Number((unix[2] ?? '').padEnd(9, '0')) / 1e6));
  const dateTime = DATE_TIME.exec(text);
  if (dateTime) return dateFromParts(value, dateTime);
  throw new UserError(`invalid time '${value}': expected a duration (10m, 1h30m), unix seconds or an RFC3339 timestamp`);
}

function durationMs(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  let ns = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) ns += Number(amount) * DURATION_UNIT_NS[unit!]!;
  return (sign * ns) / 1e6;
}

function dateFromParts(value: string, parts: RegExpExecArray): Date {
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map((p) => Number(p ?? 0)) as [number, number, number, number, number, number];
  const ms = Math.floor(Number((parts[7] ?? '').padEnd(9, '0')) / 1e6);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new UserError(`invalid time '${value}': no such date or time of day`);
  }
  const zone = parts[8]?.toUpperCase();
  if (zone === undefined) return new Date(year, month - 1, day, hour, minute, second, ms);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return new Date(utc - zoneOffsetMs(zone));
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
}
