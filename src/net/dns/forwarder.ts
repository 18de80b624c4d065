// Forwarding queries for names that are not ours to the host's resolvers. Each attempt gets a socket of its
// own (a fresh random source port, as Docker's embedded server does), so the client's query goes out unchanged
// and the answer comes back with the client's id; a refused UDP port fails over at once (ICMP on a connected
// socket) instead of waiting out the timeout.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as connectTcp, type Socket as TcpSocket } from 'node:net';
import { DnsFrameReader, frameDnsMessage } from './tcp-framing.js';
import type { Upstream } from './resolv-conf.js';

/** A pending attempt; close() cancels it (so the server's close() leaves no socket or timer behind). */
interface Attempt {
  cancel(): void;
}

export class UpstreamForwarder {
  private readonly attempts = new Set<Attempt>();
  private closed = false;

  constructor(
    private readonly upstreams: readonly Upstream[],
    private readonly timeoutMs: number,
  ) {}

  /**
   * Tries each upstream in turn (each for up to timeoutMs) and calls back with the first answer carrying the
   * query's id — passed on as is, truncated or not — or with undefined when none answered.
   */
  forward(query: Buffer, transport: 'udp' | 'tcp', done: (answer: Buffer | undefined) => void): void {
    const tryFrom = (index: number): void => {
      const upstream = this.upstreams[index];
      if (this.closed || upstream === undefined) return done(undefined);
      const attemptOnce = transport === 'udp' ? udpAttempt : tcpAttempt;
      const attempt = attemptOnce(upstream, query, this.timeoutMs, (answer) => {
        this.attempts.delete(attempt);
        if (answer !== undefined) done(answer);
        else tryFrom(index + 1);
      });
      this.attempts.add(attempt);
    };
    tryFrom(0);
  }

  close(): void {
    this.closed = true;
    for (const attempt of this.attempts) attempt.cancel();
    this.attempts.clear();
  }
}

type AttemptResult = (answer: Buffer | undefined) => void;

function udpAttempt(upstream: Upstream, query: Buffer, timeoutMs: number, finish: AttemptResult): Attempt {
  const socket: UdpSocket = createSocket(upstream.family === 6 ? 'udp6' : 'udp4');
  const end = once((answer: Buffer | undefined) => {
    clearTimeout(timer);
    socket.close();
    finish(answer);
  });
  const timer = setTimeout(() => end(undefined), timeoutMs);
  socket.on('error', () => end(undefined));
  socket.on('message', (answer) => {
    if (sameId(answer, query)) end(answer);
  });
  socket.connect(upstream.port, upstream.host, () => {
    if (!end.settled) socket.send(query);
  });
  return { cancel: () => end.cancel(() => { clearTimeout(timer); socket.close(); }) };
}

function tcpAttempt(upstream: Upstream, query: Buffer, timeoutMs: number, finish: AttemptResult): Attempt {
  const socket: TcpSocket = connectTcp({ host: upstream.host, port: upstream.port, noDelay: true });
  const end = once((answer: Buffer | undefined) => {
    clearTimeout(timer);
    socket.destroy();
    finish(answer);
  });
  const timer = setTimeout(() => end(undefined), timeoutMs);
  const frames = new DnsFrameReader((answer) => {
    if (sameId(answer, query)) end(answer);
  });
  socket.on('data', (chunk: Buffer) => frames.push(chunk));
  socket.on('error', () => end(undefined));
  socket.on('close', () => end(undefined));
  socket.write(frameDnsMessage(query));
  return { cancel: () => end.cancel(() => { clearTimeout(timer); socket.destroy(); }) };
}

function sameId(answer: Buffer, query: Buffer): boolean {
  return answer.length >= 12 && answer[0] === query[0] && answer[1] === query[1];
}

/** A callback that runs at most once, and can be cancelled (running its cleanup instead) if it has not run. */
function once<T>(callback: (value: T) => void): ((value: T) => void) & { readonly settled: boolean; cancel(cleanup: () => void): void } {
  const wrapped = Object.assign(
    (value: T): void => {
      if (wrapped.settled) return;
      wrapped.settled = true;
      callback(value);
    },
    {
      settled: false,
      cancel(cleanup: () => void): void {
        if (wrapped.settled) return;
        wrapped.settled = true;
        cleanup();
      },
    },
  );
  return wrapped;
}
