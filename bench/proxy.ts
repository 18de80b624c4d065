// Throughput of a 1 GiB TCP transfer on loopback: direct, and through the port proxy (which runs in this
// process, as in the engine). Sender and receiver are child processes, so only the proxy shares this event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { startPortProxy } from '../src/net/proxy/port-proxy.js';
import { median } from './util.js';

const BYTES = Number(process.env.BENCH_PROXY_BYTES ?? 2 ** 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const HOST = '127.0.0.1';

type Role = 'send-server' | 'receive-server' | 'send-client' | 'receive-client';

/** In a child: sends BYTES, or receives them and prints the milliseconds from first to last byte. */
function peer(role: Role, port: number): void {
  const send = (socket: Socket): void => {
    const chunk = Buffer.alloc(1 << 20, 7);
    let sent = 0;
    const pump = (): void => {
      while (sent < BYTES) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      socket.end();
    };
    pump();
  };
  let received = 0;
  let start = 0n;
  const sink = Buffer.allocUnsafe(1 << 20);
  const onread = {
    buffer: sink,
    callback: (n: number): boolean => {
      if (start === 0n) start = process.hrtime.bigint();
      received += n;
      if (received >= BYTES) process.stdout.write(`${Number(process.hrtime.bigint() - start) / 1e6}\n`);
      return true;
    },
  };
  if (role === 'send-server' || role === 'receive-server') {
    const server = createServer((socket) => {
      socket.on('error', () => {});
      if (role === 'send-server') return send(socket);
      socket.on('data', (chunk: Buffer) => onread.callback(chunk.length));
    });
    server.listen(port, HOST, () => console.log((server.address() as { port: number }).port));
  } else if (role === 'send-client') {
    const socket = connect(port, HOST, () => send(socket));
    socket.resume();
    socket.on('close', () => process.exit(0));
  } else {
    const socket = connect({ port, host: HOST, onread });
    socket.on('end', () => process.exit(0));
  }
}

function child(role: Role, port: number): { process: ChildProcess; line: () => Promise<string> } {
  const proc = spawn(process.execPath, [import.meta.filename, 'peer', role, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  const waiting: Array<(line: string) => void> = [];
  const lines: string[] = [];
  proc.stdout!.on('data', (data: Buffer) => {
    buffered += data.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  return { process: proc, line: () => new Promise((resolve) => (lines.length ? resolve(lines.shift()!) : waiting.push(resolve))) };
}

/** GB/s of one transfer; `download`: the server sends (target → client through the proxy). */
async function transfer(direction: 'upload' | 'download', viaProxy: boolean): Promise<number> {
  const server = child(direction === 'upload' ? 'receive-server' : 'send-server', 0);
  const serverPort = Number(await server.line());
  const proxy = viaProxy ? await startPortProxy({ protocol: 'tcp', hostIp: HOST, hostPort: 0, targetIp: HOST, targetPort: serverPort }) : undefined;
  const client = child(direction === 'upload' ? 'send-client' : 'receive-client', proxy?.hostPort ?? serverPort);
  const ms = Number(await (direction === 'upload' ? server : client).line());
  client.process.kill();
  server.process.kill();
  await proxy?.close();
  return BYTES / ms / 1e6;
}

async function main(): Promise<void> {
  console.log(`TCP throughput on loopback, ${(BYTES / 2 ** 30).toFixed(2)} GiB per transfer, median of ${RUNS}`);
  for (const direction of ['upload', 'download'] as const) {
    for (const viaProxy of [false, true]) {
      const rates: number[] = [];
      for (let i = 0; i < RUNS; i++) rates.push(await transfer(direction, viaProxy));
      const label = `${direction === 'upload' ? 'client → target' : 'target → client'} ${viaProxy ? 'through the proxy' : 'direct'}`;
      console.log(`${label.padEnd(48)} ${median(rates).toFixed(2).padStart(8)} GB/s`);
    }
  }
}

if (process.argv[2] === 'peer') peer(process.argv[3] as Role, Number(process.argv[4]));
else await main();
