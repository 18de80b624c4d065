// A published UDP port: one socket toward the target per client address, so replies find their way back;
// a session ends after a while without traffic in either direction.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { bindError } from './bind-errors.js';
import type { RunningProxy } from './tcp-proxy.js';
import type { RelayTarget } from './tcp-relay.js';

/** docker-proxy's UDP connection timeout. */
export const UDP_IDLE_MS = 90_000;
/** Clients tracked at once; datagrams from further new clients are dropped (the target is likely flooded). */
const MAX_SESSIONS = 4096;
/** Datagrams held per session while its socket connects. */
const MAX_QUEUED = 64;

class Session {
  /** Set on traffic, cleared by each sweep: no clock read per datagram. */
  touched = true;
  private queued: Buffer[] | undefined = [];

  constructor(readonly socket: Socket) {}

  send(datagram: Buffer): void {
    this.touched = true;
    if (this.queued === undefined) this.socket.send(datagram);
    else if (this.queued.length < MAX_QUEUED) this.queued.push(datagram);
  }

  connected(): void {
    const queued = this.queued ?? [];
    this.queued = undefined;
    for (const datagram of queued) this.socket.send(datagram);
  }
}

export async function startUdpProxy(listenIp: string, hostPort: number, target: RelayTarget, idleMs = UDP_IDLE_MS): Promise<RunningProxy> {
  const listener = createSocket({ type: isIPv6(listenIp) ? 'udp6' : 'udp4', ipv6Only: isIPv6(listenIp) });
  await bind(listener, listenIp, hostPort);
  const sessions = new Map<string, Session>();
  const targetType = isIPv6(target.ip) ? 'udp6' : 'udp4';

  const openSession = (key: string, client: RemoteInfo): Session => {
    const socket = createSocket(targetType);
    const session = new Session(socket);
    sessions.set(key, session);
    socket.on('message', (reply) => {
      session.touched = true;
      listener.send(reply, client.port, client.address);
    });
    // ICMP unreachable from the target (nothing listening yet) must not end the session or the engine.
    socket.on('error', () => {});
    socket.connect(target.port, target.ip, () => session.connected());
    return session;
  };
  listener.on('message', (datagram, client) => {
    const key = `${client.address}:${client.port}`;
    const session = sessions.get(key) ?? (sessions.size < MAX_SESSIONS ? openSession(key, client) : undefined);
    session?.send(datagram);
  });
  listener.on('error', () => {});

  const sweeper = setInterval(() => {
    for (const [key, session] of sessions) {
      if (session.touched) session.touched = false;
      else {
        sessions.delete(key);
        session.socket.close();
      }
    }
  }, idleMs);
  sweeper.unref();

  return {
    hostPort: listener.address().port,
    close: async () => {
      clearInterval(sweeper);
      for (const session of sessions.values()) session.socket.close();
      sessions.clear();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

export function bind(socket: Socket, listenIp: string, hostPort: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      socket.close();
      reject(bindError(listenIp, hostPort, error));
    };
    socket.once('error', fail);
    socket.bind(hostPort, listenIp, () => {
      socket.off('error', fail);
      resolve();
    });
  });
}
