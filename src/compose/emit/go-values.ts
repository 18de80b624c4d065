import { UserError } from '../../errors.js';

/**
 * Values printed the way compose-go's Go types marshal them: time.Duration, UnitBytes (go-units
 * RAMInBytes), FileMode (`0%o`), and fmt.Sprint of scalars.
 */

const NS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

const DURATION_TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)/y;

/** str2duration.ParseDuration: `1h30m`, `1.5s`, `100ms`, `2d`, `1w`; a bare `0` is zero. Returns nanoseconds. */
export function parseDuration(input: string | number): bigint {
  const text = String(input).trim();
  const sign = text.startsWith('-') ? -1n : 1n;
  const body = text.replace(/^[-+]/, '');
  if (body === '0') return 0n;
  if (body === '') throw new UserError(`invalid duration ${JSON.stringify(text)}`);
  let total = 0n;
  DURATION_TERM.lastIndex = 0;
  while (DURATION_TERM.lastIndex < body.length) {
    const match = DURATION_TERM.exec(body);
    if (!match) throw new UserError(`invalid duration ${JSON.stringify(text)}`);
    total += termNanos(match[1] ?? '0', NS_PER_UNIT[match[2] ?? 's'] ?? 1n);
  }
  return sign * total;
}

function termNanos(number: string, unit: bigint): bigint {
  const [whole = '0', frac = ''] = number.split('.');
  const scale = 10n ** BigInt(frac.length);
  return BigInt(whole || '0') * unit + (BigInt(frac || '0') * unit) / scale;
}

/** time.Duration.String(): `0s`, `1.5s`, `1m30s`, `1h0m0s`, `500ms`, `10µs`, `7ns`. */
export function formatDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const sign = nanos < 0n ? '-' : '';
  const u = nanos < 0n ? -nanos : nanos;
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${withFraction(u, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${withFraction(u, 6)}ms`;
  const seconds = u / 1_000_000_000n;
  let text = `${seconds % 60n}${fractionDigits(u % 1_000_000_000n, 9)}s`;
  const minutes = seconds / 60n;
  if (minutes > 0n) {
    text = `${minutes % 60n}m${text}`;
    const hours = minutes / 60n;
    if (hours > 0n) text = `${hours}h${text}`;
  }
  return sign + text;
}

function withFraction(value: bigint, digits: number): string {
  const unit = 10n ** BigInt(digits);
  return `${value / unit}${fractionDigits(value % unit, digits)}`;
}

function fractionDigits(remainder: bigint, digits: number): string {
  if (remainder === 0n) return '';
  return '.' + remainder.toString().padStart(digits, '0').replace(/0+$/, '');
}

const BYTE_SIZE = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;
const BINARY_MULTIPLIER: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** go-units RAMInBytes: `50M` → 52428800 (binary multiples, any case, optional `b`/`ib`); numbers as they are. */
export function parseBytes(input: string | number): number {
  if (typeof input === 'number') return Math.trunc(input);
  const match = BYTE_SIZE.exec(input.trim());
  if (!match) throw new UserError(`invalid size: '${input}'`);
  const multiplier = BINARY_MULTIPLIER[(match[2] ?? '').toLowerCase()] ?? 1;
  return Math.trunc(Number.parseFloat(match[1] ?? '0') * multiplier);
}

/** FileMode: numbers are the mode itself, strings are octal digits; printed as `0` + octal. */
export function formatFileMode(input: string | number): string {
  const mode = typeof input === 'number' ? input : Number.parseInt(input, 8);
  if (!Number.isFinite(mode)) throw new UserError(`invalid file mode: ${JSON.stringify(input)}`);
  return `0${mode.toString(8)}`;
}

/** fmt.Sprint of a YAML scalar, as Go mapping types store label/env values. */
export function goString(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/**
 * Splits a command string into words like mattn/go-shellwords (as compose-go's ShellCommand):
 * blanks separate, quotes group, backslash escapes outside single quotes.
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | '' = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === '\\' && quote !== "'" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (quote !== '' && c === quote) {
      quote = '';
    } else if (quote === '' && (c === '"' || c === "'")) {
      quote = c;
      inWord = true;
    } else if (quote === '' && /\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== '') throw new UserError(`invalid command line string: ${JSON.stringify(line)}`);
  if (inWord) words.push(word);
  return words;
}
