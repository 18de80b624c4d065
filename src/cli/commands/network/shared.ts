export const collect = (v: string, p: string[]): string[] => [...p, v];

/** `key=value` flags (--label, --opt, --aux-address, --filter) into a map; a bare key gets ''. */
export function keyValues(entries: string[]): Record<string, string> {
  return Object.fromEntries(entries.map((e) => {
    const at = e.indexOf('=');
    return at < 0 ? [e, ''] : [e.slice(0, at), e.slice(at + 1)];
  }));
}

/** `--filter key=value` flags into Docker's filters object. */
export function filtersOf(entries: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of entries) {
    const at = e.indexOf('=');
    (out[at < 0 ? e : e.slice(0, at)] ??= []).push(at < 0 ? '' : e.slice(at + 1));
  }
  return out;
}
