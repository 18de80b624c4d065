/**
 * Netlink message encoding (pure Buffers): a 16-byte nlmsghdr, a fixed family header, then attributes
 * (rtattr: u16 length, u16 type, payload, padded to 4 bytes). Host byte order (little-endian here) except where noted.
 */
import { NLA_F_NESTED } from './constants.js';

export const NLMSG_HDRLEN = 16;

const align4 = (n: number): number => (n + 3) & ~3;

/** One attribute: a payload, or nested attributes. */
export interface Attribute {
  type: number;
  value: Buffer | Attribute[];
}

export function encodeAttributes(attributes: Attribute[]): Buffer {
  return Buffer.concat(attributes.map(encodeAttribute));
}

function encodeAttribute(attribute: Attribute): Buffer {
  const nested = Array.isArray(attribute.value);
  const payload = nested ? encodeAttributes(attribute.value as Attribute[]) : (attribute.value as Buffer);
  const out = Buffer.alloc(align4(4 + payload.length));
  out.writeUInt16LE(4 + payload.length, 0);
  out.writeUInt16LE(attribute.type | (nested ? NLA_F_NESTED : 0), 2);
  payload.copy(out, 4);
  return out;
}

/** Attribute payload helpers. */
export const attr = {
  u32: (type: number, value: number): Attribute => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    return { type, value: b };
  },
  string: (type: number, value: string): Attribute => ({ type, value: Buffer.from(`${value}\0`) }),
  bytes: (type: number, value: Buffer): Attribute => ({ type, value }),
  nested: (type: number, value: Attribute[]): Attribute => ({ type, value }),
};

export function encodeMessage(type: number, flags: number, seq: number, header: Buffer, attributes: Attribute[]): Buffer {
  const body = Buffer.concat([header, encodeAttributes(attributes)]);
  const out = Buffer.alloc(NLMSG_HDRLEN + body.length);
  out.writeUInt32LE(out.length, 0);
  out.writeUInt16LE(type, 4);
  out.writeUInt16LE(flags, 6);
  out.writeUInt32LE(seq, 8);
  out.writeUInt32LE(0, 12);
  body.copy(out, NLMSG_HDRLEN);
  return out;
}

/** One received message: its header fields and its body (family header + attributes). */
export interface Message {
  type: number;
  flags: number;
  seq: number;
  body: Buffer;
}

/** Splits one datagram into its messages. */
export function decodeMessages(datagram: Buffer): Message[] {
  const messages: Message[] = [];
  let offset = 0;
  while (offset + NLMSG_HDRLEN <= datagram.length) {
    const length = datagram.readUInt32LE(offset);
    if (length < NLMSG_HDRLEN || offset + length > datagram.length) break;
    messages.push({
      type: datagram.readUInt16LE(offset + 4),
      flags: datagram.readUInt16LE(offset + 6),
      seq: datagram.readUInt32LE(offset + 8),
      body: datagram.subarray(offset + NLMSG_HDRLEN, offset + length),
    });
    offset += align4(length);
  }
  return messages;
}

/** Attributes by type (the last one wins; the nested flag is stripped). */
export function decodeAttributes(data: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let offset = 0;
  while (offset + 4 <= data.length) {
    const length = data.readUInt16LE(offset);
    if (length < 4 || offset + length > data.length) break;
    out.set(data.readUInt16LE(offset + 2) & ~NLA_F_NESTED, data.subarray(offset + 4, offset + length));
    offset += align4(length);
  }
  return out;
}

/** A NUL-terminated string attribute. */
export function attrString(value: Buffer | undefined): string {
  if (!value) return '';
  const end = value.indexOf(0);
  return value.subarray(0, end < 0 ? value.length : end).toString('utf8');
}
