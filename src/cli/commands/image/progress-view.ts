/**
 * Shows a pull's or push's JSON messages as Docker does: in a terminal one line per layer, rewritten in place
 * (cursor up, clear line); elsewhere plain lines, without the byte-count updates.
 */
import type { JsonMessage } from '../../../image/registry/progress.js';

export class ProgressView {
  private readonly lineOf = new Map<string, number>();
  private lines = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly terminal: boolean,
  ) {}

  show(message: JsonMessage): void {
    if (message.aux || (message.status === undefined && message.stream === undefined)) return;
    if (message.stream !== undefined) return this.write(message.stream);
    if (!this.terminal) {
      if (message.progressDetail?.current !== undefined) return; // byte counts only make sense redrawn in place
      return this.write(`${text(message)}\n`);
    }
    this.showInPlace(message);
  }

  private showInPlace(message: JsonMessage): void {
    const line = message.id === undefined ? undefined : this.lineOf.get(message.id);
    if (line === undefined) {
      if (message.id !== undefined) this.lineOf.set(message.id, this.lines);
      this.lines++;
      return this.write(`${text(message)}\n`);
    }
    const up = this.lines - line;
    this.write(`\x1b[${up}A\r\x1b[2K${text(message)}\x1b[${up}B\r`);
  }
}

function text(message: JsonMessage): string {
  const body = [message.status, message.progress].filter(Boolean).join(' ');
  return message.id !== undefined ? `${message.id}: ${body}` : body;
}
