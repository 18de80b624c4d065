/**
 * Build progress as JSON messages on the /build stream. Each step is announced, then reported cached, done
 * or failed, with the output of its RUN in between; the client renders them (plain lines or a live list).
 */
import type { JsonMessage } from '../image/registry/progress.js';

export interface StepEvent {
  /** Unique within the build: "#3". */
  vertex: string;
  /** "[build 2/5] RUN make" as BuildKit names steps. */
  name: string;
  state: 'started' | 'cached' | 'done' | 'error' | 'output';
  output?: string;
  seconds?: number;
}

export type BuildSink = (message: JsonMessage & { build?: StepEvent }) => void;

/** Hands out vertex numbers and times steps. */
export class BuildProgress {
  private next = 1;
  constructor(private readonly sink: BuildSink) {}

  step(name: string): StepReporter {
    return new StepReporter(this.sink, `#${this.next++}`, name);
  }

  result(imageId: string): void {
    this.sink({ aux: { ID: imageId } });
  }
}

export class StepReporter {
  private readonly started = Date.now();
  constructor(
    private readonly sink: BuildSink,
    readonly vertex: string,
    readonly name: string,
  ) {
    this.emit('started', `${vertex} ${name}\n`);
  }

  output(text: string): void {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(3);
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const shown = lines.map((line) => `${this.vertex} ${elapsed} ${line}\n`).join('');
    this.sink({ stream: shown, build: { vertex: this.vertex, name: this.name, state: 'output', output: text } });
  }

  cached(): void {
    this.emit('cached', `${this.vertex} CACHED\n`);
  }

  done(): void {
    const seconds = (Date.now() - this.started) / 1000;
    this.emit('done', `${this.vertex} DONE ${seconds.toFixed(1)}s\n`, seconds);
  }

  failed(message: string): void {
    this.emit('error', `${this.vertex} ERROR: ${message}\n`);
  }

  private emit(state: StepEvent['state'], stream: string, seconds?: number): void {
    this.sink({ stream, build: { vertex: this.vertex, name: this.name, state, ...(seconds !== undefined ? { seconds } : {}) } });
  }
}
