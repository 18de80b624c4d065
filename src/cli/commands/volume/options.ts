/** Flag parsing shared by the volume commands: repeatable flags and `key=value` lists. */
import { UserError } from '../../../errors.js';

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--filter key=value` (repeatable) → Docker's filters map. */
export function filtersOf(values: string[]): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0) throw new UserError(`bad format of filter (expected name=value): ${value}`);
    (filters[value.slice(0, at)] ??= []).push(value.slice(at + 1));
  }
  return filters;
}

/** `--label k=v` / `--label k` and `-o k=v` → a map (a bare key has the empty value, as Docker's labels). */
export function keyValues(values: string[], flag: string, requireValue = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at === 0 || (requireValue && at < 0)) throw new UserError(`invalid ${flag} value: "${value}" (expected key=value)`);
    if (at < 0) out[value] = '';
    else out[value.slice(0, at)] = value.slice(at + 1);
  }
  return out;
}

