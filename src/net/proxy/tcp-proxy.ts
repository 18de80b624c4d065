// A published TCP port: accepts on the host address and relays each connection to the container.
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { bindError } from './bind-errors.js';
import { relay, type RelayTarget } from './tcp-relay.js';

export interface RunningProxy {
  readonly hostPort: number;
  close(): Promise<void>;
}

export async function startTcpProxy(listenIp: string, hostPort: number, target: RelayTarget): Promise<RunningProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (client) => {
    track(client);
    relay(client, target, track);
  });
  await listen(server, listenIp, hostPort);
  return {
    hostPort: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export function listen(server: Server, listenIp: string, hostPort: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => reject(bindError(listenIp, hostPort, error));
    server.once('error', fail);
    server.listen({ host: listenIp, port: hostPort, ipv6Only: isIPv6(listenIp) }, () => {
      server.off('error', fail);
      // Errors of accept() (EMFILE) must not take the engine down; the listener keeps accepting.
      server.on('error', () => {});
      resolve();
    });
  });
}
