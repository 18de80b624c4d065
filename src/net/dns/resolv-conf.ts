// Reading the host's resolver configuration (resolv.conf(5)): where the embedded DNS server forwards names it
// does not own, and which search domains a container's resolver may append to a short name.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';

export interface HostResolvers {
  nameservers: string[];
  search: string[];
  options: string[];
}

/** Parses resolv.conf text. `search`/`domain`: the last one wins, as in glibc. Comments start a line with # or ;. */
export function hostResolvers(resolvConfText: string): HostResolvers {
  const parsed: HostResolvers = { nameservers: [], search: [], options: [] };
  for (const rawLine of resolvConfText.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === 'nameserver' && args[0] !== undefined && isIP(withoutZone(args[0])) !== 0) parsed.nameservers.push(args[0]);
    else if (keyword === 'search' || keyword === 'domain') parsed.search = args.map(canonicalDomain).filter((d) => d !== '');
    else if (keyword === 'options') parsed.options.push(...args);
  }
  return parsed;
}

/**
 * The host's nameservers, read without blocking the event loop. Loopback resolvers (systemd-resolved's 127.0.0.53)
 * are kept: the embedded server runs in the host's network namespace, where they are reachable.
 */
export async function readHostResolvers(path = '/etc/resolv.conf'): Promise<HostResolvers> {
  try {
    return hostResolvers(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { nameservers: [], search: [], options: [] };
    throw error;
  }
}

/** An upstream resolver's transport address. */
export interface Upstream {
  host: string;
  port: number;
  family: 4 | 6;
}

/** Accepts "1.2.3.4", "1.2.3.4:5353", "fe80::1", "[fe80::1]:5353"; undefined when it is none of these. */
export function parseUpstream(text: string): Upstream | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const ipv4WithPort = /^([\d.]+):(\d+)$/.exec(text);
  const [host, portText] = bracketed ? [bracketed[1]!, bracketed[2]] : ipv4WithPort ? [ipv4WithPort[1]!, ipv4WithPort[2]] : [text, undefined];
  const family = isIP(withoutZone(host));
  const port = portText === undefined ? 53 : Number(portText);
  if (family === 0 || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port, family: family as 4 | 6 };
}

function withoutZone(address: string): string {
  const percent = address.indexOf('%');
  return percent < 0 ? address : address.slice(0, percent);
}

function canonicalDomain(domain: string): string {
  return domain.toLowerCase().replace(/\.+$/, '');
}
