// How a queried name maps onto the engine's table of names (which is keyed by lower-case names without a
// trailing dot).

/** Lower-case, without the trailing dot. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * The table keys a query may mean: the name as asked, then with each search domain cut off — a container's
 * resolver tries `web.corp.example` before `web` when the host's resolv.conf carries `search corp.example`.
 */
export function candidateNames(name: string, searchDomains: readonly string[]): string[] {
  const candidates = [name];
  for (const domain of searchDomains) {
    if (name.length > domain.length + 1 && name.endsWith(domain) && name[name.length - domain.length - 1] === '.') {
      candidates.push(name.slice(0, name.length - domain.length - 1));
    }
  }
  return candidates;
}

const IN_ADDR_ARPA = '.in-addr.arpa';

/** "4.3.2.1.in-addr.arpa" → "1.2.3.4"; undefined for anything else (partial names, IPv6 reverse names). */
export function ipv4OfReverseName(name: string): string | undefined {
  if (!name.endsWith(IN_ADDR_ARPA)) return undefined;
  const octets = name.slice(0, -IN_ADDR_ARPA.length).split('.');
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return undefined;
  return octets.reverse().map(Number).join('.');
}
