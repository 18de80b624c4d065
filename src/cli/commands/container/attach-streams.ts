import type { Duplex } from 'node:stream';
import { FrameDecoder } from '../../../engine/logs/stream-framing.js';
import type { CliIO } from '../../io.js';

/**
 * Copies a hijacked container connection to this terminal: demultiplexed stdout/stderr (raw when the container has a
 * terminal), and our stdin to the container when asked; in a terminal, raw mode and window size follow ours.
 */
export async function pipeAttached(socket: Duplex, opts: { tty: boolean; stdin: boolean; io: CliIO; resize?: (rows: number, cols: number) => Promise<void> }): Promise<void> {
  const { io } = opts;
  const input = io.streams.in;
  const restore = opts.tty && opts.stdin && input.isTTY ? enterRawMode(input) : () => undefined;
  const stopResizing = opts.tty && opts.resize ? followWindowSize(io, opts.resize) : () => undefined;
  try {
    if (opts.stdin) {
      input.pipe(socket, { end: false });
      input.once('end', () => socket.end());
    }
    await copyOutput(socket, opts.tty, io);
  } finally {
    if (opts.stdin) input.unpipe(socket);
    input.pause();
    stopResizing();
    restore();
  }
}

function copyOutput(socket: Duplex, tty: boolean, io: CliIO): Promise<void> {
  return new Promise((resolve) => {
    socket.on('error', () => resolve());
    if (tty) {
      socket.on('data', (chunk: Buffer) => io.streams.out.write(chunk));
      socket.on('end', resolve);
      socket.on('close', resolve);
      return;
    }
    const decoder = socket.pipe(new FrameDecoder());
    decoder.on('data', (frame: { stream: string; payload: Buffer }) => (frame.stream === 'stderr' ? io.streams.err : io.streams.out).write(frame.payload));
    decoder.on('end', resolve);
    socket.on('close', () => decoder.end());
  });
}

function enterRawMode(input: NodeJS.ReadStream): () => void {
  input.setRawMode(true);
  return () => input.setRawMode(false);
}

function followWindowSize(io: CliIO, resize: (rows: number, cols: number) => Promise<void>): () => void {
  const out = io.streams.out;
  const send = (): void => void resize(out.rows ?? 24, out.columns ?? 80).catch(() => undefined);
  send();
  out.on('resize', send);
  return () => out.off('resize', send);
}
