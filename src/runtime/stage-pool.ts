/**
 * Stages spawned ahead of need, each already PID 1 of a fresh PID namespace with Node and koffi loaded, waiting in
 * read(2) for "go": a container start then skips Node's start-up (most of its cost). Only the common stdio (no
 * stdin, no terminal) is pooled; the others spawn as they come. A pooled stage that loses its engine sees its
 * channel close and exits.
 */
import { spawnStage, type SpawnedStage } from './launch-stage.js';

export class StagePool {
  private readonly ready: SpawnedStage[] = [];
  private refilling = false;

  constructor(private readonly size: number) {}

  /** A waiting stage, if one is ready; a refill starts in the background either way. */
  take(): SpawnedStage | undefined {
    let stage: SpawnedStage | undefined;
    while ((stage = this.ready.shift()) && stage.child.exitCode !== null) {
      // died while waiting (killed by someone): skip it
    }
    this.refillSoon();
    return stage;
  }

  refillSoon(): void {
    if (this.refilling || this.size <= 0) return;
    this.refilling = true;
    setImmediate(() => {
      this.refilling = false;
      while (this.ready.length < this.size) this.ready.push(spawnStage('new', { stdin: 'ignore' }));
    });
  }

  /** Ends every waiting stage (engine shutdown). */
  async drain(): Promise<void> {
    const stages = this.ready.splice(0);
    for (const stage of stages) stage.child.kill('SIGKILL');
    await Promise.all(stages.map((s) => s.exited.catch(() => undefined)));
  }
}
