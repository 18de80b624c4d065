/**
 * The stdio of a container's process as the engine holds it: real pipes (not the socketpairs Node would make:
 * `echo > /dev/stdout` needs a pipe), or a terminal whose master the init stage hands over.
 */
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { ReadStream } from 'node:tty';
import { pipe, setWindowSize } from './syscalls.js';

export interface StdioRequest {
  stdin: 'pipe' | 'ignore';
  terminal?: { rows: number; cols: number };
}

export interface EngineStreams {
  stdin?: Writable;
  stdout: Readable;
  stderr?: Readable;
  resize?(rows: number, cols: number): void;
}

/** Child-side fds for spawn, and the engine-side streams once the child holds its ends. */
export interface PipeSet {
  childStdio: (number | 'ignore')[];
  /** Closes the child's ends in the engine (call right after spawn) and wraps ours into streams. */
  open(): EngineStreams;
}

export function pipeSet(stdin: 'pipe' | 'ignore'): PipeSet {
  const input = stdin === 'pipe' ? pipe() : undefined;
  const output = pipe();
  const errors = pipe();
  return {
    childStdio: [input ? input[0] : 'ignore', output[1], errors[1]],
    open() {
      for (const fd of [input?.[0], output[1], errors[1]]) if (fd !== undefined) closeSync(fd);
      return {
        ...(input ? { stdin: new Socket({ fd: input[1], readable: false, writable: true }) } : {}),
        stdout: new Socket({ fd: output[0], readable: true, writable: false }),
        stderr: new Socket({ fd: errors[0], readable: true, writable: false }),
      };
    },
  };
}

/** Streams over a pty master: one output stream (EIO once the last slave closes is its normal end). */
export function terminalStreams(master: number): EngineStreams {
  const tty = new ReadStream(master);
  const output = new PassThrough();
  tty.on('data', (chunk: Buffer) => output.write(chunk));
  tty.on('end', () => output.end());
  tty.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EIO') output.end();
    else output.destroy(err);
  });
  output.on('close', () => tty.destroy());
  return { stdin: tty, stdout: output, resize: (rows, cols) => setWindowSize(master, rows, cols) };
}
