/** The stage's side of the control channel: blocking reads and writes on fd 3 (no event loop needed). */
import { readSync, writeSync } from 'node:fs';
import { CONTROL_FD, type StageMessage } from './protocol.js';

let pending = '';

/** Blocks until one full line arrives and parses it (the channel must be blocking: see setBlocking). */
export function receive<T>(): T {
  const buf = Buffer.alloc(65536);
  while (!pending.includes('\n')) {
    const n = readSync(CONTROL_FD, buf, 0, buf.length, null);
    if (n === 0) throw new Error('control channel closed by the engine');
    pending += buf.toString('utf8', 0, n);
  }
  const at = pending.indexOf('\n');
  const line = pending.slice(0, at);
  pending = pending.slice(at + 1);
  return JSON.parse(line) as T;
}

export function send(message: StageMessage): void {
  writeSync(CONTROL_FD, `${JSON.stringify(message)}\n`);
}
