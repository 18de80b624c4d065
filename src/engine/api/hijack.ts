import type { Duplex } from 'node:stream';

/** Docker's answer to an attach or exec start that upgrades the connection to a raw stream. */
export function acceptUpgrade(socket: Duplex, tty: boolean): void {
  socket.write(
    [
      'HTTP/1.1 101 UPGRADED',
      `Content-Type: application/vnd.docker.${tty ? 'raw-stream' : 'multiplexed-stream'}`,
      'Connection: Upgrade',
      'Upgrade: tcp',
      '',
      '',
    ].join('\r\n'),
  );
}

/** An error before the upgrade is an ordinary HTTP answer on the raw socket. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ message });
  socket.end(`HTTP/1.1 ${status} Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
