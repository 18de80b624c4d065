// A DNS client and a fake upstream resolver for tests: loopback only.
import { createSocket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet } from 'dns-packet';

/** A decoded reply; dns-packet decodes the rcode too, its types leave it out. */
export type DnsReply = DecodedPacket & { rcode: string };

let nextId = 1;

/** A query for one question, with a fresh id (returned too so tests can check it comes back). */
export function makeQuery(name: string, type: 'A' | 'AAAA' | 'MX' | 'PTR' | 'TXT' = 'A', extra: Partial<Packet> = {}): { id: number; raw: Buffer } {
  const id = (nextId = (nextId * 7919 + 13) % 65536);
  return { id, raw: dnsPacket.encode({ id, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }], ...extra }) };
}

/** Sends raw bytes over UDP; resolves with the decoded reply, or undefined after timeoutMs. */
export function udpExchange(address: string, port: number, raw: Buffer, timeoutMs = 1000): Promise<DnsReply | undefined> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const finish = (answer: DnsReply | undefined): void => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    };
    socket.on('message', (message) => finish(dnsPacket.decode(message) as DnsReply));
    socket.send(raw, port, address);
  });
}

export async function udpQuery(address: string, port: number, name: string, type: Parameters<typeof makeQuery>[1] = 'A'): Promise<DnsReply> {
  const { raw } = makeQuery(name, type);
  const answer = await udpExchange(address, port, raw);
  if (!answer) throw new Error(`no answer for ${name} ${type}`);
  return answer;
}

/** One query over TCP (length-prefixed); resolves with the decoded reply. */
export function tcpExchange(address: string, port: number, raw: Buffer): Promise<DnsReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length >= 2 && all.length >= 2 + all.readUInt16BE(0)) {
        socket.destroy();
        resolve(dnsPacket.decode(all.subarray(2, 2 + all.readUInt16BE(0))) as DnsReply);
      }
    });
    socket.on('error', reject);
    const framed = Buffer.alloc(raw.length + 2);
    framed.writeUInt16BE(raw.length, 0);
    raw.copy(framed, 2);
    socket.write(framed);
  });
}

export function addressesOf(answer: DecodedPacket): string[] {
  return (answer.answers ?? []).filter((a) => a.type === 'A').map((a) => (a as { data: string }).data);
}

export interface FakeUpstream {
  readonly port: number;
  /** Queries seen, by transport. */
  readonly seen: { udp: number; tcp: number };
  close(): Promise<void>;
}

/**
 * A resolver that answers every A question with `answer` (UDP and TCP on one port); `truncateUdp` makes UDP
 * replies empty with TC set.
 */
export async function startFakeUpstream(address: string, answer: string, opts: { truncateUdp?: boolean } = {}): Promise<FakeUpstream> {
  const seen = { udp: 0, tcp: 0 };
  const reply = (raw: Buffer, transport: 'udp' | 'tcp'): Buffer => {
    const query = dnsPacket.decode(raw);
    const truncated = transport === 'udp' && opts.truncateUdp === true;
    return dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.RECURSION_AVAILABLE | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0),
      questions: query.questions,
      answers: truncated ? [] : [{ type: 'A', name: query.questions![0]!.name, ttl: 300, data: answer }],
    });
  };
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, address, resolve));
  const port = udp.address().port;
  udp.on('message', (raw, client) => {
    seen.udp++;
    udp.send(reply(raw, 'udp'), client.port, client.address);
  });
  const tcp: Server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      seen.tcp++;
      const answerBytes = reply(chunk.subarray(2, 2 + chunk.readUInt16BE(0)), 'tcp');
      const framed = Buffer.alloc(answerBytes.length + 2);
      framed.writeUInt16BE(answerBytes.length, 0);
      answerBytes.copy(framed, 2);
      socket.end(framed);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => tcp.listen(port, address, resolve));
  return {
    port,
    seen,
    close: async () => {
      await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
    },
  };
}
