// DNS over TCP frames each message with a 2-byte big-endian length (RFC 1035 §4.2.2; RFC 7766).

/** Splits a TCP byte stream into DNS messages. Copies only when a message spans reads. */
export class DnsFrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly onMessage: (message: Buffer) => void) {}

  push(chunk: Buffer): void {
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      chunk = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let offset = 0;
    while (chunk.length - offset >= 2) {
      const end = offset + 2 + chunk.readUInt16BE(offset);
      if (end > chunk.length) break;
      this.onMessage(chunk.subarray(offset + 2, end));
      offset = end;
    }
    if (offset < chunk.length) {
      this.pending.push(chunk.subarray(offset));
      this.pendingBytes = chunk.length - offset;
    }
  }
}

/** The 2-byte length prefix and the message, as one buffer (one write, one segment). */
export function frameDnsMessage(message: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(message.length + 2);
  framed.writeUInt16BE(message.length, 0);
  message.copy(framed, 2);
  return framed;
}
