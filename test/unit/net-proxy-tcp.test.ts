import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { UserError } from '../../src/errors.js';
import { checkPortsFree, startPortProxy, type PortProxy } from '../../src/net/proxy/port-proxy.js';

const HOST = '127.0.0.41';
const TARGET = '127.0.0.42';

async function listening(handler: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer({ allowHalfOpen: true }, handler);
  await new Promise<void>((resolve) => server.listen(0, TARGET, resolve));
  return { server, port: (server.address() as { port: number }).port };
}

async function withProxy(targetPort: number, body: (proxy: PortProxy) => Promise<void>): Promise<void> {
  const proxy = await startPortProxy({ protocol: 'tcp', hostIp: HOST, hostPort: 0, targetIp: TARGET, targetPort });
  try {
    await body(proxy);
  } finally {
    await proxy.close();
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Connects, writes `payload` then half-closes, and collects everything until the other side ends. */
function exchange(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      socket.end();
      resolve(Buffer.concat(chunks));
    });
    socket.on('error', reject);
    socket.end(payload);
  });
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

test('a large payload is echoed through the proxy unchanged; the host port picked is reported', async () => {
  const target = await listening((socket) => socket.pipe(socket));
  await withProxy(target.port, async (proxy) => {
    assert.equal(proxy.hostIp, HOST);
    assert.ok(proxy.hostPort > 0);
    const payload = Buffer.alloc(48 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE((i * 2654435761) >>> 0, i);
    const echoed = await exchange(proxy.hostPort, payload);
    assert.equal(echoed.length, payload.length);
    assert.equal(sha256(echoed), sha256(payload));
  });
  await closeServer(target.server);
});

test('half-close both ways: the client ends and still gets the answer; the target ends and still gets data', async () => {
  const target = await listening((socket) => {
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('end', () => socket.end(`got ${received} bytes`));
  });
  await withProxy(target.port, async (proxy) => {
    assert.equal((await exchange(proxy.hostPort, Buffer.alloc(300_000, 1))).toString(), 'got 300000 bytes');
  });
  await closeServer(target.server);

  let greeterGot: (text: string) => void = () => {};
  const greeterReceived = new Promise<string>((resolve) => (greeterGot = resolve));
  const greeter = await listening((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => greeterGot(Buffer.concat(chunks).toString()));
    socket.end('hello, then silence');
  });
  await withProxy(greeter.port, async (proxy) => {
    const socket = connect({ host: HOST, port: proxy.hostPort, allowHalfOpen: true });
    const received = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
    });
    assert.equal(received, 'hello, then silence');
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.end('late words');
    assert.equal(await greeterReceived, 'late words');
    await closed;
  });
  await closeServer(greeter.server);
});

test('a refused target closes the client connection', async () => {
  const gone = await listening(() => {});
  await closeServer(gone.server);
  await withProxy(gone.port, async (proxy) => {
    const socket = connect({ host: HOST, port: proxy.hostPort });
    socket.on('error', () => {});
    await new Promise((resolve) => socket.on('close', resolve));
  });
});

test('a reset by the target closes the client; close() ends open connections', async () => {
  const target = await listening((socket) => socket.once('data', () => socket.resetAndDestroy()));
  await withProxy(target.port, async (proxy) => {
    const socket = connect({ host: HOST, port: proxy.hostPort });
    socket.on('error', () => {});
    socket.write('boom');
    await new Promise((resolve) => socket.on('close', resolve));
  });
  await closeServer(target.server);

  const idle = await listening((socket) => socket.on('end', () => socket.end()));
  const proxy = await startPortProxy({ protocol: 'tcp', hostIp: HOST, hostPort: 0, targetIp: TARGET, targetPort: idle.port });
  const socket = connect({ host: HOST, port: proxy.hostPort });
  socket.on('error', () => {});
  await new Promise((resolve) => socket.on('connect', resolve));
  const closed = new Promise((resolve) => socket.on('close', resolve));
  await proxy.close();
  await closed;
  await closeServer(idle.server);
});

test('a taken port is a UserError in Docker words, also from checkPortsFree', async () => {
  const first = await startPortProxy({ protocol: 'tcp', hostIp: HOST, hostPort: 0, targetIp: TARGET, targetPort: 9 });
  const port = first.hostPort;
  await assert.rejects(startPortProxy({ protocol: 'tcp', hostIp: HOST, hostPort: port, targetIp: TARGET, targetPort: 9 }), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.equal(error.message, `Bind for ${HOST}:${port} failed: port is already allocated`);
    return true;
  });
  const problems = await checkPortsFree([
    { protocol: 'tcp', hostIp: HOST, hostPort: port },
    { protocol: 'udp', hostIp: HOST, hostPort: port },
    { protocol: 'tcp', hostIp: '127.0.0.43', hostPort: port },
    { protocol: 'tcp', hostIp: '', hostPort: 0 },
  ]);
  assert.deepEqual(problems, [{ port: { protocol: 'tcp', hostIp: HOST, hostPort: port }, error: `Bind for ${HOST}:${port} failed: port is already allocated` }]);
  await first.close();
  const twice = await checkPortsFree([
    { protocol: 'tcp', hostIp: '', hostPort: port },
    { protocol: 'tcp', hostIp: HOST, hostPort: port },
  ]);
  assert.deepEqual(twice.map((p) => p.error), [`Bind for ${HOST}:${port} failed: port is already allocated`]);
});
