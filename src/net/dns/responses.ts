// Building the server's own answers with dns-packet: records for names of the network, and error replies.
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, Packet, Question } from 'dns-packet';

/**
 * TTL of our records. Docker uses 600 s; containers come and go (and replicas scale) far more often than that
 * here, and glibc/musl do not cache anyway, so clients that do cache (JVM, nginx `resolver`) see changes soon.
 */
export const LOCAL_TTL_SECONDS = 10;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;

/** Without EDNS, a UDP answer must fit in 512 bytes (RFC 1035 §4.2.1). */
const CLASSIC_UDP_LIMIT = 512;
/** What we advertise and accept at most over UDP: the DNS Flag Day 2020 size, safe from fragmentation. */
const EDNS_UDP_LIMIT = 1232;
const TCP_LIMIT = 65535;

/** A response with the query's id, question and RD bit; AA for our own names, RA since we recurse (forward). */
export function responseTo(query: DecodedPacket, rcode: number, answers: Answer[], authoritative: boolean): Packet {
  const flags = (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | dnsPacket.RECURSION_AVAILABLE | (authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | rcode;
  const additionals: Answer[] = queryOpt(query) ? [ourOpt()] : [];
  return { id: query.id ?? 0, type: 'response', flags, questions: query.questions ?? [], answers, additionals };
}

export function aRecords(question: Question, addresses: readonly string[], start: number): Answer[] {
  const answers: Answer[] = new Array(addresses.length);
  for (let i = 0; i < addresses.length; i++) {
    answers[i] = { type: 'A', class: 'IN', name: question.name, ttl: LOCAL_TTL_SECONDS, data: addresses[(start + i) % addresses.length]! };
  }
  return answers;
}

export function ptrRecord(question: Question, target: string): Answer {
  return { type: 'PTR', class: 'IN', name: question.name, ttl: LOCAL_TTL_SECONDS, data: target };
}

/** The largest response the client takes on this transport (its EDNS size, bounded, over UDP). */
export function responseLimit(query: DecodedPacket, transport: 'udp' | 'tcp'): number {
  if (transport === 'tcp') return TCP_LIMIT;
  const opt = queryOpt(query);
  return opt ? Math.min(Math.max(opt.udpPayloadSize, CLASSIC_UDP_LIMIT), EDNS_UDP_LIMIT) : CLASSIC_UDP_LIMIT;
}

/** Encodes; when too large, drops trailing answers and sets TC so the client retries over TCP (RFC 2181 §9). */
export function encodeWithin(response: Packet, limit: number): Buffer {
  const answers = response.answers ?? [];
  let size = dnsPacket.encodingLength(response);
  if (size <= limit) return dnsPacket.encode(response);
  const kept = [...answers];
  while (kept.length > 0 && size > limit) {
    kept.pop();
    size = dnsPacket.encodingLength({ ...response, answers: kept });
  }
  return dnsPacket.encode({ ...response, answers: kept, flags: (response.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE });
}

/**
 * An error reply built from the raw query's header only (for queries we could not or would not decode fully):
 * the id, opcode and RD bit kept, QR and RA set, no sections.
 */
export function headerOnlyReply(rawQuery: Buffer, rcode: number): Buffer {
  const reply = Buffer.alloc(12);
  rawQuery.copy(reply, 0, 0, 2);
  const queryFlags = rawQuery.readUInt16BE(2);
  reply.writeUInt16BE(0x8000 | (queryFlags & 0x7900) | dnsPacket.RECURSION_AVAILABLE | rcode, 2);
  return reply;
}

function queryOpt(query: DecodedPacket): OptAnswer | undefined {
  for (const record of query.additionals ?? []) if (record.type === 'OPT') return record;
  return undefined;
}

function ourOpt(): OptAnswer {
  return { type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_LIMIT, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
}
