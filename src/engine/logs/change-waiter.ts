import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

// With inotify the poll only backs it up; without it (some filesystems), polling is all there is.
const POLL_WITH_WATCH_MS = 1000;
const POLL_WITHOUT_WATCH_MS = 100;

/** Waits until the log may have grown: a change in its directory, a poll tick, or an explicit `notify`. */
export class ChangeWaiter {
  private watcher: FSWatcher | undefined;
  private pollMs = POLL_WITHOUT_WATCH_MS;
  private pending = false;
  private wake: (() => void) | undefined;

  constructor(logPath: string) {
    const base = basename(logPath);
    try {
      // The directory, not the file: a watch on the file would stay on the old inode after rotation.
      this.watcher = watch(dirname(logPath), { persistent: false }, (_event, name) => {
        if (!name || name.startsWith(base)) this.notify();
      });
      this.watcher.on('error', () => this.stopWatching());
      this.pollMs = POLL_WITH_WATCH_MS;
    } catch {
      this.watcher = undefined;
    }
  }

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    if (wake) wake();
    else this.pending = true; // nobody waits yet: the next wait returns at once
  }

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.notify(), this.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  close(): void {
    this.stopWatching();
    this.notify();
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.pollMs = POLL_WITHOUT_WATCH_MS;
  }
}
