/** The engine's side of the control channel to an init stage or exec helper (see init/protocol.ts). */
import type { Duplex } from 'node:stream';
import type { StartFailure } from './spec.js';
import type { GoMessage, PtyTaken, StageMessage } from './init/protocol.js';

export class StageChannel {
  private buffered = '';
  private failure: StartFailure | undefined;
  private readonly closed: Promise<void>;

  constructor(
    private readonly socket: Duplex,
    private readonly onPty: (fd: number) => void,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.receive(text));
    this.closed = new Promise((resolve) => {
      socket.on('end', resolve);
      socket.on('close', resolve);
      socket.on('error', () => resolve()); // a dying stage can reset the socket: same as closed
    });
  }

  send(message: GoMessage | PtyTaken): void {
    this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** Resolves when the stage exec'd its payload (undefined) or reported why it could not. */
  async outcome(): Promise<StartFailure | undefined> {
    await this.closed;
    this.socket.destroy();
    return this.failure;
  }

  private receive(text: string): void {
    this.buffered += text;
    let at: number;
    while ((at = this.buffered.indexOf('\n')) >= 0) {
      const message = JSON.parse(this.buffered.slice(0, at)) as StageMessage;
      this.buffered = this.buffered.slice(at + 1);
      this.handle(message);
    }
  }

  private handle(message: StageMessage): void {
    if (message.type === 'failure') this.failure = message.failure;
    else if (message.type === 'pty-ready') this.takePty(message.fd);
  }

  /** On failure the stage sees its channel close and gives up; we report why. */
  private takePty(fd: number): void {
    try {
      this.onPty(fd);
      this.send({ type: 'pty-taken' });
    } catch (err) {
      this.failure = { stage: 'terminal', message: `taking the terminal: ${(err as Error).message}`, exitCode: 125 };
      this.socket.destroy();
    }
  }
}
