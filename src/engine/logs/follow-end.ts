// setTimeout takes at most a signed 32-bit delay.
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface FollowSources {
  isRunning: () => boolean;
  onceStopped: Promise<void>;
  signal?: AbortSignal;
}

/** Knows when following must end: the container stopped, the reader was aborted, or `until` has passed. */
export class FollowEnd {
  private stopped = false;
  private untilTimer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.changed();

  constructor(
    private readonly sources: FollowSources,
    until: Date | undefined,
    private readonly changed: () => void,
  ) {
    const markStopped = () => {
      this.stopped = true;
      changed();
    };
    sources.onceStopped.then(markStopped, markStopped);
    sources.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (until) this.armUntil(until);
  }

  get aborted(): boolean {
    return this.sources.signal?.aborted ?? false;
  }

  /** No more records will come that this reader wants (one more pass drains what is already on disk). */
  get reached(): boolean {
    return this.stopped || this.aborted || !this.sources.isRunning();
  }

  dispose(): void {
    clearTimeout(this.untilTimer);
    this.sources.signal?.removeEventListener('abort', this.onAbort);
  }

  private armUntil(until: Date): void {
    const delay = until.getTime() - Date.now();
    if (delay <= 0) {
      this.stopped = true;
      return;
    }
    this.untilTimer = setTimeout(() => {
      this.stopped = true;
      this.changed();
    }, Math.min(delay, MAX_TIMER_MS));
  }
}
