import { UserError } from '../../errors.js';
import { isDict, isOverride, isReset, type Dict, type ModelPath } from '../types.js';
import { describePath } from './path-pattern.js';
import { compareText } from '../../util/compare-text.js';

/** One published port in Compose's long syntax, keys in the order `docker compose config` prints them. */
export interface PortConfig {
  mode: string;
  host_ip?: string;
  target: number;
  published?: string;
  protocol: string;
}

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);
const MAX_PORT = 65535;

/** `services.*.ports`: every entry in long syntax; a short entry with a range becomes one entry per port. */
export function canonicalPorts(value: unknown, path: ModelPath): unknown {
  if (!Array.isArray(value)) return value;
  return value.flatMap((entry, i) => canonicalPortEntry(entry, [...path, i]));
}

function canonicalPortEntry(entry: unknown, path: ModelPath): unknown[] {
  if (isReset(entry) || isOverride(entry)) return [entry];
  // `config --no-interpolate`: a `${PORT:-8080}:80` cannot be parsed until interpolated, and is shown as written
  if (typeof entry === 'string' && entry.includes('${')) return [entry];
  if (typeof entry === 'number' || typeof entry === 'string') return parsePortSpec(String(entry), path);
  if (isDict(entry)) return [canonicalLongPort(entry)];
  throw new UserError(`${describePath(path)}: invalid port ${JSON.stringify(entry)}`);
}

/** The long syntax may still carry strings from the file (`target: "80"`, `published: 8080`): give them their types. */
function canonicalLongPort(entry: Dict): Dict {
  const out: Dict = { mode: entry.mode ?? 'ingress', ...entry };
  if (typeof out.target === 'string' && /^\d+$/.test(out.target)) out.target = Number(out.target);
  if (typeof out.published === 'number') out.published = String(out.published);
  out.protocol = typeof entry.protocol === 'string' ? entry.protocol.toLowerCase() : 'tcp';
  return out;
}

/**
 * Parses `[[ip:]published:]target[/protocol]` as Docker does (ranges allowed on both sides, IPv6 in brackets).
 * Entries come out sorted by `target/protocol` text, as compose-go emits them.
 */
export function parsePortSpec(spec: string, path: ModelPath = []): PortConfig[] {
  const fail = (why: string): never => {
    throw new UserError(`${describePath(path) || 'ports'}: invalid port "${spec}": ${why}`);
  };
  const { ip, published, target } = splitPortParts(spec);
  const [targetText, protocolText] = splitProtocol(target);
  const hostIp = unbracket(ip);
  if (hostIp !== '' && !isIpAddress(hostIp)) fail(`invalid IP address ${ip}`);
  if (targetText === '') fail('no port specified');
  const protocol = protocolText.toLowerCase();
  if (!PROTOCOLS.has(protocol)) fail(`invalid proto: ${protocolText}`);
  const targets = parseRange(targetText) ?? fail(`invalid containerPort: ${targetText}`);
  const hosts = published === '' ? undefined : (parseRange(published) ?? fail(`invalid hostPort: ${published}`));
  const sameWidth = !hosts || hosts.end - hosts.start === targets.end - targets.start;
  if (!sameWidth && targets.end !== targets.start) {
    fail(`invalid ranges specified for container and host Ports: ${targetText} and ${published}`);
  }
  const ports: PortConfig[] = [];
  for (let port = targets.start; port <= targets.end; port++) {
    const entry: PortConfig = { mode: 'ingress', target: port, protocol };
    if (hostIp !== '') entry.host_ip = hostIp;
    const hostPort = publishedFor(port - targets.start, hosts, sameWidth);
    if (hostPort !== undefined) entry.published = hostPort;
    ports.push(reorder(entry));
  }
  return ports.sort((a, b) => compareText(`${a.target}/${a.protocol}`, `${b.target}/${b.protocol}`));
}

/** A single target with a host range publishes on "any free port of the range": the range stays as text. */
function publishedFor(offset: number, hosts: PortRange | undefined, sameWidth: boolean): string | undefined {
  if (!hosts) return undefined;
  if (!sameWidth) return `${hosts.start}-${hosts.end}`;
  return String(hosts.start + offset);
}

/** `a:b:c` is ip:published:target; with more colons the leading ones belong to an (unbracketed) IPv6 address. */
function splitPortParts(spec: string): { ip: string; published: string; target: string } {
  const parts = spec.split(':');
  const target = parts[parts.length - 1] ?? '';
  if (parts.length === 1) return { ip: '', published: '', target };
  if (parts.length === 2) return { ip: '', published: parts[0] ?? '', target };
  return { ip: parts.slice(0, -2).join(':'), published: parts[parts.length - 2] ?? '', target };
}

function splitProtocol(target: string): [string, string] {
  const [port = '', protocol = ''] = target.split('/');
  return [port, protocol === '' ? 'tcp' : protocol];
}

function unbracket(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

function isIpAddress(ip: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) return v4.slice(1).every((octet) => Number(octet) <= 255);
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip);
}

interface PortRange {
  start: number;
  end: number;
}

function parseRange(text: string): PortRange | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start > MAX_PORT || end > MAX_PORT || end < start) return undefined;
  return { start, end };
}

function reorder(entry: PortConfig): PortConfig {
  const { mode, host_ip, target, published, protocol } = entry;
  return {
    mode,
    ...(host_ip !== undefined && { host_ip }),
    target,
    ...(published !== undefined && { published }),
    protocol,
  };
}
