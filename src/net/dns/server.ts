// The embedded DNS server of one network: UDP and TCP on the network's gateway address.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket as TcpSocket } from 'node:net';
import { InternalError } from '../../errors.js';
import { UpstreamForwarder } from './forwarder.js';
import { QueryHandler } from './query-handler.js';
import { parseUpstream, type Upstream } from './resolv-conf.js';
import { DnsFrameReader, frameDnsMessage } from './tcp-framing.js';
import { canonicalName } from './names.js';

export { hostResolvers, readHostResolvers, type HostResolvers } from './resolv-conf.js';

export interface DnsServerOptions {
  address: string;
  port?: number;
  /** Names known on this network → their IPv4 addresses (all replicas); undefined = not ours. Called per query. */
  lookup: (name: string) => string[] | undefined;
  /** Reverse lookup for PTR of our addresses (optional). */
  reverse?: (ipv4: string) => string | undefined;
  /** "ip" or "ip:port" ("[v6]:port"); the host's (readHostResolvers) for a network that is not internal. */
  upstreams: string[];
  /** Domains a container's resolver may append to short names (the host's `search`). */
  searchDomains?: string[];
  /** How long to wait for each upstream before trying the next (ms, default 2000). */
  timeoutMs?: number;
  /** Failures that are not the client's fault (a throwing lookup); the client gets SERVFAIL. */
  onError?: (error: unknown) => void;
}

export interface DnsServer {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 2000;
/** A client that opens a TCP connection and goes quiet must not hold it forever (RFC 7766 §6.2.3). */
const TCP_IDLE_MS = 10_000;

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const forwarder = new UpstreamForwarder(parseUpstreams(opts.upstreams), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const searchDomains = (opts.searchDomains ?? []).map(canonicalName);
  const handler = new QueryHandler({ lookup: opts.lookup, reverse: opts.reverse, searchDomains }, forwarder, opts.onError ?? (() => {}));
  const { udp, tcp } = await bindBoth(opts.address, opts.port ?? 53);
  const port = udp.address().port;
  return serve(opts.address, port, udp, tcp, handler, forwarder);
}

/** UDP and TCP on one port; with port 0, the UDP port picked may be taken for TCP: then pick again. */
async function bindBoth(address: string, port: number): Promise<{ udp: UdpSocket; tcp: Server }> {
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(address, port);
    try {
      return { udp, tcp: await listenTcp(address, udp.address().port) };
    } catch (error) {
      udp.close();
      if (port !== 0 || attempt >= 5) throw error;
    }
  }
}

function serve(address: string, port: number, udp: UdpSocket, tcp: Server, handler: QueryHandler, forwarder: UpstreamForwarder): DnsServer {
  let closed = false;
  const connections = new Set<TcpSocket>();
  udp.on('message', (message: Buffer, client: RemoteInfo) => {
    handler.handle(message, 'udp', (answer) => {
      if (!closed) udp.send(answer, client.port, client.address);
    });
  });
  // Errors of sends to clients that went away (ICMP) must not take the server down.
  udp.on('error', () => {});
  tcp.on('connection', (socket: TcpSocket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveTcpClient(socket, handler);
  });
  return {
    address,
    port,
    close: async () => {
      if (closed) return;
      closed = true;
      forwarder.close();
      for (const socket of connections) socket.destroy();
      await Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), new Promise<void>((resolve) => tcp.close(() => resolve()))]);
    },
  };
}

function serveTcpClient(socket: TcpSocket, handler: QueryHandler): void {
  socket.setNoDelay(true);
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const frames = new DnsFrameReader((message) => {
    handler.handle(message, 'tcp', (answer) => {
      if (socket.writable) socket.write(frameDnsMessage(answer));
    });
  });
  socket.on('data', (chunk: Buffer) => frames.push(chunk));
}

function parseUpstreams(texts: readonly string[]): Upstream[] {
  return texts.map((text) => {
    const upstream = parseUpstream(text);
    if (upstream === undefined) throw new InternalError(`not an upstream DNS server address: ${JSON.stringify(text)}`);
    return upstream;
  });
}

function bindUdp(address: string, port: number): Promise<UdpSocket> {
  const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      socket.close();
      reject(bindError('udp', address, port, error));
    };
    socket.once('error', fail);
    socket.bind(port, address, () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

function listenTcp(address: string, port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(bindError('tcp', address, port, error)));
    server.listen({ host: address, port }, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      resolve(server);
    });
  });
}

function bindError(protocol: string, address: string, port: number, cause: Error): InternalError {
  return new InternalError(`DNS server: cannot listen on ${protocol} ${address}:${port}: ${(cause as NodeJS.ErrnoException).code ?? cause.message}`, { cause });
}
