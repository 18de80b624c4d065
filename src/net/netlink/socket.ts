/**
 * A synchronous rtnetlink channel. rtnetlink answers inside the sending system call, so a blocking receive returns at
 * once: no event-loop turn, a few microseconds per request. A socket stays in the network namespace it was created in,
 * which is how the engine configures a container's namespace without entering it for longer than one socket() call.
 */
import { openSync, closeSync } from 'node:fs';
import { errnoName } from './errno.js';
import { NetlinkError } from './errors.js';
import { NETLINK_ROUTE, NLM_F, NLMSG, NLMSGERR_ATTR_MSG } from './constants.js';
import { attrString, decodeAttributes, decodeMessages, encodeMessage, NLMSG_HDRLEN, type Attribute, type Message } from './message.js';
import { closeFd, netlinkReceive, netlinkSend, netlinkSocket, setns } from '../../runtime/syscalls.js';
import { CLONE } from '../../runtime/linux.js';

const RECEIVE_TIMEOUT_MS = 5000;

let ownNetNamespace: number | undefined;

export class NetlinkSocket {
  private seq = Math.floor(Math.random() * 0x7fffffff);
  private readonly buffer = Buffer.alloc(64 * 1024);

  private constructor(private fd: number) {}

  /** A socket in the engine's own network namespace. */
  static open(): NetlinkSocket {
    return new NetlinkSocket(netlinkSocket(NETLINK_ROUTE, RECEIVE_TIMEOUT_MS));
  }

  /** A socket in the network namespace of `/proc/<pid>/ns/net` (or any netns file): this thread goes there and back. */
  static openIn(netnsPath: string): NetlinkSocket {
    ownNetNamespace ??= openSync('/proc/self/ns/net', 'r');
    const target = openSync(netnsPath, 'r');
    try {
      setns(target, CLONE.NEWNET);
      try {
        return new NetlinkSocket(netlinkSocket(NETLINK_ROUTE, RECEIVE_TIMEOUT_MS));
      } finally {
        setns(ownNetNamespace, CLONE.NEWNET);
      }
    } finally {
      closeSync(target);
    }
  }

  close(): void {
    if (this.fd < 0) return;
    closeFd(this.fd);
    this.fd = -1;
  }

  /** Sends a request that changes something and waits for its ACK; a refusal throws NetlinkError. */
  change(operation: string, type: number, flags: number, header: Buffer, attributes: Attribute[]): void {
    const seq = this.send(type, flags | NLM_F.REQUEST | NLM_F.ACK, header, attributes);
    for (;;) {
      for (const message of this.receive()) {
        if (message.seq !== seq) continue;
        if (message.type === NLMSG.ERROR) return throwIfError(operation, message);
      }
    }
  }

  /** A dump request: every answer's body until NLMSG_DONE. */
  dump(operation: string, type: number, header: Buffer, attributes: Attribute[] = []): Buffer[] {
    const seq = this.send(type, NLM_F.REQUEST | NLM_F.DUMP, header, attributes);
    const bodies: Buffer[] = [];
    for (;;) {
      for (const message of this.receive()) {
        if (message.seq !== seq) continue;
        if (message.type === NLMSG.DONE) return bodies;
        if (message.type === NLMSG.ERROR) {
          throwIfError(operation, message);
          return bodies;
        }
        bodies.push(Buffer.from(message.body));
      }
    }
  }

  private send(type: number, flags: number, header: Buffer, attributes: Attribute[]): number {
    this.seq = (this.seq + 1) >>> 0;
    netlinkSend(this.fd, encodeMessage(type, flags, this.seq, header, attributes));
    return this.seq;
  }

  private receive(): Message[] {
    const length = netlinkReceive(this.fd, this.buffer);
    return decodeMessages(this.buffer.subarray(0, length));
  }
}

/** NLMSG_ERROR: an int errno (negative; 0 = ACK), the echoed request header, then extended-ACK attributes if any. */
function throwIfError(operation: string, message: Message): void {
  const errno = -message.body.readInt32LE(0);
  if (errno === 0) return;
  let text = '';
  if (message.flags & NLM_F.ACK_TLVS) {
    const echoed = message.flags & NLM_F.CAPPED ? NLMSG_HDRLEN : message.body.readUInt32LE(4);
    text = attrString(decodeAttributes(message.body.subarray(4 + echoed)).get(NLMSGERR_ATTR_MSG));
  }
  throw new NetlinkError(operation, errnoName(errno), text);
}
