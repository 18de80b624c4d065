// Query latency through the embedded DNS server on loopback: a name of the network, and a forwarded name
// answered by a fake upstream of our own (nothing leaves the machine).
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { startDnsServer } from '../src/net/dns/server.js';
import { median } from './util.js';

const QUERIES = Number(process.env.BENCH_DNS_QUERIES ?? 5000);
const HOST = '127.0.0.1';

async function fakeUpstream(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', (raw, from) => {
    const query = dnsPacket.decode(raw);
    const answers = [{ type: 'A' as const, name: query.questions![0]!.name, ttl: 60, data: '192.0.2.1' }];
    socket.send(dnsPacket.encode({ id: query.id, type: 'response', flags: dnsPacket.RECURSION_AVAILABLE, questions: query.questions, answers }), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  return socket;
}

/** Median microseconds of sequential queries for `name` from one client socket. */
async function latency(client: Socket, port: number, name: string): Promise<number> {
  const raw = dnsPacket.encode({ id: 1, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });
  const once = (): Promise<number> =>
    new Promise((resolve) => {
      const start = process.hrtime.bigint();
      client.once('message', () => resolve(Number(process.hrtime.bigint() - start) / 1e3));
      client.send(raw, port, HOST);
    });
  for (let i = 0; i < 200; i++) await once(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < QUERIES; i++) samples.push(await once());
  return median(samples);
}

const upstream = await fakeUpstream();
const table = new Map([['web', ['10.9.0.2', '10.9.0.3', '10.9.0.4']]]);
const server = await startDnsServer({ address: HOST, port: 0, lookup: (name) => table.get(name), upstreams: [`${HOST}:${upstream.address().port}`] });
const client = createSocket('udp4');
await new Promise<void>((resolve) => client.bind(0, HOST, resolve));
console.log(`DNS query latency over UDP on loopback (server, client and fake upstream in one process), median of ${QUERIES}`);
console.log(`${'A of a name of the network (3 replicas)'.padEnd(48)} ${(await latency(client, server.port, 'web')).toFixed(0).padStart(8)} µs`);
console.log(`${'A of a forwarded name (fake upstream)'.padEnd(48)} ${(await latency(client, server.port, 'elsewhere.example')).toFixed(0).padStart(8)} µs`);
client.close();
upstream.close();
await server.close();
