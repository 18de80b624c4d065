/**
 * Orders strings by UTF-16 code unit, as Go's `sort.Strings` does. `localeCompare` would load ICU's collator on
 * its first call, about 9 ms of a short command like `ps`.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
