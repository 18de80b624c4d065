// One query in, at most one reply out: answered from the network's names, or forwarded upstream.
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Question } from 'dns-packet';
import { candidateNames, canonicalName, ipv4OfReverseName } from './names.js';
import { aRecords, encodeWithin, headerOnlyReply, ptrRecord, RCODE, responseLimit, responseTo } from './responses.js';
import type { UpstreamForwarder } from './forwarder.js';

export type Transport = 'udp' | 'tcp';

export interface NameTable {
  lookup: (name: string) => string[] | undefined;
  reverse?: ((ipv4: string) => string | undefined) | undefined;
  searchDomains: readonly string[];
}

const OPCODE_QUERY = 0;
const HEADER_BYTES = 12;

export class QueryHandler {
  private readonly rotation = new RoundRobin();

  constructor(
    private readonly table: NameTable,
    private readonly forwarder: UpstreamForwarder,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Malformed packets and responses are dropped: a reply to garbage could be spoofed into a reflection. */
  handle(raw: Buffer, transport: Transport, reply: (answer: Buffer) => void): void {
    if (raw.length < HEADER_BYTES || (raw[2]! & 0x80) !== 0) return;
    if (((raw[2]! >> 3) & 0xf) !== OPCODE_QUERY) return reply(headerOnlyReply(raw, RCODE.NOTIMP));
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(raw);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (question === undefined || query.questions!.length !== 1) return reply(headerOnlyReply(raw, RCODE.FORMERR));
    let answers: Answer[] | undefined;
    try {
      answers = this.localAnswers(question);
    } catch (error) {
      this.onError(error);
      return reply(encodeWithin(responseTo(query, RCODE.SERVFAIL, [], false), responseLimit(query, transport)));
    }
    if (answers !== undefined) return reply(encodeWithin(responseTo(query, RCODE.NOERROR, answers, true), responseLimit(query, transport)));
    this.forwarder.forward(raw, transport, (upstreamAnswer) => {
      reply(upstreamAnswer ?? encodeWithin(responseTo(query, RCODE.SERVFAIL, [], false), responseLimit(query, transport)));
    });
  }

  /** Our records for the question, [] for a name of ours without records of that type, undefined: not ours. */
  private localAnswers(question: Question): Answer[] | undefined {
    if (question.class !== undefined && question.class !== 'IN' && question.class !== 'ANY') return undefined;
    const name = canonicalName(question.name);
    if (question.type === 'PTR') return this.reverseAnswer(question, name);
    for (const candidate of candidateNames(name, this.table.searchDomains)) {
      const addresses = this.table.lookup(candidate);
      if (addresses === undefined) continue;
      // AAAA and other types of a name we own: NOERROR with no answers, so resolvers do not give up on the name.
      if (question.type !== 'A' && (question.type as string) !== 'ANY') return [];
      return aRecords(question, addresses, this.rotation.next(candidate, addresses.length));
    }
    return undefined;
  }

  private reverseAnswer(question: Question, name: string): Answer[] | undefined {
    const ipv4 = this.table.reverse ? ipv4OfReverseName(name) : undefined;
    const target = ipv4 === undefined ? undefined : this.table.reverse!(ipv4);
    return target === undefined ? undefined : [ptrRecord(question, target)];
  }
}

/** Where each name's answer list starts this time: one step further per query, so clients spread over replicas. */
class RoundRobin {
  private static readonly MAX_NAMES = 4096;
  private readonly offsets = new Map<string, number>();

  next(name: string, count: number): number {
    if (count <= 1) return 0;
    const offset = this.offsets.get(name) ?? 0;
    // Names of removed containers would otherwise stay forever; forgetting all now and then is harmless.
    if (this.offsets.size >= RoundRobin.MAX_NAMES && offset === 0) this.offsets.clear();
    this.offsets.set(name, (offset + 1) % count);
    return offset % count;
  }
}
