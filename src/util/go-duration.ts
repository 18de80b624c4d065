// Go duration strings (`30s`, `1m30s`, `1.5h`, `250ms`) as HEALTHCHECK options take them, in nanoseconds.

const UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const PART = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;

/** Nanoseconds, or undefined when `text` is not a Go duration. A bare number needs a unit, except "0". */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  while (s !== '') {
    const m = PART.exec(s);
    if (!m) return undefined;
    const whole = m[1]!;
    const frac = m[2] ?? '';
    if (whole === '' && frac === '') return undefined;
    const unit = UNITS[m[3]!]!;
    total += Number(whole || '0') * unit + (frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * unit));
    s = s.slice(m[0].length);
  }
  return sign * total;
}
