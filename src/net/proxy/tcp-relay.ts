// Joins an accepted client connection to a new connection to the target: bytes both ways, half-closes passed
// on, an error or reset on one side closes the other, and each side reads only while the other can take it.
import { connect, type Socket } from 'node:net';
import { AdaptiveReadBuffers } from './read-buffers.js';

export interface RelayTarget {
  ip: string;
  port: number;
}

/**
 * `client` must have been accepted paused (pauseOnConnect): it is read only once the target is connected,
 * and destroyed if the target cannot be reached (as docker-proxy does).
 */
export function relay(client: Socket, target: RelayTarget, track: (socket: Socket) => void): void {
  const buffers = new AdaptiveReadBuffers();
  let upstreamPaused = false;
  const resumeUpstream = (): void => {
    upstreamPaused = false;
    upstream.resume();
  };
  // Target → client: the kernel reads into our buffers; each is reused once the client's write of it is done.
  const upstream: Socket = connect({
    host: target.ip,
    port: target.port,
    noDelay: true,
    allowHalfOpen: true,
    onread: {
      buffer: () => buffers.next(),
      callback: (bytesRead: number, buffer: Uint8Array): boolean => {
        const readBuffer = buffer as Buffer;
        buffers.observe(bytesRead, readBuffer);
        const flushed = client.write(readBuffer.subarray(0, bytesRead), () => buffers.release(readBuffer));
        if (flushed) return true;
        if (!upstreamPaused) {
          upstreamPaused = true;
          client.once('drain', resumeUpstream);
        }
        return false;
      },
    },
  });
  track(upstream);
  client.setNoDelay(true);
  bindLifetimes(client, upstream);
  upstream.once('connect', () => {
    forwardWithBackpressure(client, upstream);
    client.resume();
  });
  upstream.on('end', () => client.end());
}

/** Client → target, through the ordinary 'data' path (accepted sockets cannot take `onread`). */
function forwardWithBackpressure(from: Socket, to: Socket): void {
  const resume = (): void => {
    from.resume();
  };
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', resume);
    }
  });
  from.on('end', () => to.end());
}

/**
 * An error or reset on either side ends the other. A clean close is not passed on: it comes after both
 * directions ended, and the other side then closes by itself once its last writes are flushed.
 */
function bindLifetimes(a: Socket, b: Socket): void {
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
}
