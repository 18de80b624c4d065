import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { UserError } from '../../src/errors.js';
import { startPortProxy } from '../../src/net/proxy/port-proxy.js';

const HOST = '127.0.0.51';
const TARGET = '127.0.0.52';

async function boundSocket(address: string): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return socket;
}

/** A target that answers each datagram with "<text> via <the proxy session's source port>". */
async function echoTarget(): Promise<{ socket: Socket; sources: Set<number> }> {
  const socket = await boundSocket(TARGET);
  const sources = new Set<number>();
  socket.on('message', (message, from) => {
    sources.add(from.port);
    socket.send(`${message.toString()} via ${from.port}`, from.port, from.address);
  });
  return { socket, sources };
}

function ask(client: Socket, port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    client.once('message', (reply) => resolve(reply.toString()));
    client.send(text, port, HOST);
  });
}

test('UDP request/response through the proxy, two clients kept apart', async () => {
  const target = await echoTarget();
  const proxy = await startPortProxy({ protocol: 'udp', hostIp: HOST, hostPort: 0, targetIp: TARGET, targetPort: target.socket.address().port });
  const [alice, bob] = [await boundSocket('127.0.0.53'), await boundSocket('127.0.0.53')];
  const a1 = await ask(alice, proxy.hostPort, 'alice 1');
  const b1 = await ask(bob, proxy.hostPort, 'bob 1');
  const a2 = await ask(alice, proxy.hostPort, 'alice 2');
  assert.match(a1, /^alice 1 via \d+$/);
  assert.match(b1, /^bob 1 via \d+$/);
  assert.equal(a2.split(' via ')[1], a1.split(' via ')[1], 'one session per client');
  assert.notEqual(b1.split(' via ')[1], a1.split(' via ')[1], 'clients get sessions of their own');
  assert.equal(target.sources.size, 2);
  // Concurrent datagrams from both: each reply reaches its own sender.
  const replies = await Promise.all([ask(alice, proxy.hostPort, 'alice 3'), ask(bob, proxy.hostPort, 'bob 2')]);
  assert.match(replies[0], /^alice 3 /);
  assert.match(replies[1], /^bob 2 /);
  alice.close();
  bob.close();
  await proxy.close();
  target.socket.close();
});

test('an idle UDP session expires; the next datagram opens a new one', async () => {
  const target = await echoTarget();
  const proxy = await startPortProxy({ protocol: 'udp', hostIp: HOST, hostPort: 0, targetIp: TARGET, targetPort: target.socket.address().port, udpIdleMs: 40 });
  const client = await boundSocket('127.0.0.53');
  const first = (await ask(client, proxy.hostPort, 'one')).split(' via ')[1];
  await new Promise((resolve) => setTimeout(resolve, 150));
  const second = (await ask(client, proxy.hostPort, 'two')).split(' via ')[1];
  assert.notEqual(second, first);
  client.close();
  await proxy.close();
  target.socket.close();
});

test('a taken UDP port is a UserError', async () => {
  const taken = await boundSocket(HOST);
  const port = taken.address().port;
  await assert.rejects(startPortProxy({ protocol: 'udp', hostIp: HOST, hostPort: port, targetIp: TARGET, targetPort: 9 }), (error: unknown) => error instanceof UserError && error.message === `Bind for ${HOST}:${port} failed: port is already allocated`);
  taken.close();
});
