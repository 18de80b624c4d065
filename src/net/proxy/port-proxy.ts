// Published ports: a userland proxy per (protocol, host address, host port), as docker-proxy does.
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { isUserError } from '../../errors.js';
import { bindError, hostAddress } from './bind-errors.js';
import { listen, startTcpProxy } from './tcp-proxy.js';
import { bind, startUdpProxy } from './udp-proxy.js';

export interface PortProxyOptions {
  protocol: 'tcp' | 'udp';
  /** '' or '0.0.0.0' = all IPv4 addresses ('::' for all IPv6 ones). */
  hostIp: string;
  /** 0 = a free port picked by the kernel (read it back from PortProxy.hostPort). */
  hostPort: number;
  targetIp: string;
  targetPort: number;
  /** UDP: a client's session ends after this long without traffic (default 90 s, as docker-proxy). */
  udpIdleMs?: number;
}

export interface PortProxy {
  readonly hostIp: string;
  readonly hostPort: number;
  close(): Promise<void>;
}

export interface HostPort {
  protocol: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
}

/** Starts listening; rejects with a UserError ("Bind for 0.0.0.0:8080 failed: port is already allocated"). */
export async function startPortProxy(opts: PortProxyOptions): Promise<PortProxy> {
  const hostIp = listenAddress(opts.hostIp);
  const target = { ip: opts.targetIp, port: opts.targetPort };
  const running = opts.protocol === 'tcp' ? await startTcpProxy(hostIp, opts.hostPort, target) : await startUdpProxy(hostIp, opts.hostPort, target, opts.udpIdleMs);
  return { hostIp, hostPort: running.hostPort, close: () => running.close() };
}

/**
 * Which of these host ports cannot be bound now — taken by another process, or asked for twice in the list —
 * so a taken port is reported before any container starts. Port 0 is always free.
 */
export async function checkPortsFree(ports: readonly HostPort[]): Promise<Array<{ port: HostPort; error: string }>> {
  const problems: Array<{ port: HostPort; error: string }> = [];
  const toProbe: HostPort[] = [];
  ports.forEach((port, index) => {
    if (port.hostPort === 0) return;
    if (ports.slice(0, index).some((earlier) => overlaps(earlier, port))) problems.push({ port, error: `Bind for ${hostAddress(port.hostIp, port.hostPort)} failed: port is already allocated` });
    else toProbe.push(port);
  });
  const results = await Promise.all(toProbe.map(async (port) => ({ port, error: await probe(port) })));
  for (const result of results) if (result.error !== undefined) problems.push({ port: result.port, error: result.error });
  return problems;
}

function listenAddress(hostIp: string): string {
  return hostIp === '' ? '0.0.0.0' : hostIp;
}

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/**
 * Two entries that would fight for one socket: same protocol and port, and the same address or a wildcard of
 * the same family (IPv6 listeners are IPv6-only, so 0.0.0.0 and :: can both be published).
 */
function overlaps(a: HostPort, b: HostPort): boolean {
  const [ipA, ipB] = [listenAddress(a.hostIp), listenAddress(b.hostIp)];
  if (a.protocol !== b.protocol || a.hostPort !== b.hostPort || isIPv6(ipA) !== isIPv6(ipB)) return false;
  return ipA === ipB || isWildcard(ipA) || isWildcard(ipB);
}

/** Binds and lets go at once; the error message when binding fails. */
async function probe(port: HostPort): Promise<string | undefined> {
  const ip = listenAddress(port.hostIp);
  try {
    if (port.protocol === 'tcp') {
      const server = createServer();
      await listen(server, ip, port.hostPort);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } else {
      const socket = createSocket({ type: isIPv6(ip) ? 'udp6' : 'udp4', ipv6Only: isIPv6(ip) });
      await bind(socket, ip, port.hostPort);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
    return undefined;
  } catch (error) {
    return isUserError(error) ? error.message : bindError(ip, port.hostPort, error).message;
  }
}
