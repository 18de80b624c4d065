/** Lifecycle shared by both backends: kill-all through the freezer, wait until empty, remove directories. */
import { InternalError } from '../../errors.js';
import { isDir, removeCgroupTree, signalEach, treePids, waitUntil } from './fs.js';
import type { CgroupLimits, CgroupStats, ContainerCgroup } from './types.js';

export const FREEZE_TIMEOUT_MS = 5000;
export const EMPTY_TIMEOUT_MS = 10_000;

export abstract class BaseCgroup implements ContainerCgroup {
  constructor(readonly id: string) {}

  abstract create(limits: CgroupLimits): void;
  abstract update(limits: CgroupLimits): void;
  abstract addProcess(pid: number): void;
  abstract selfJoinFiles(): string[] | undefined;
  abstract freeze(): Promise<void>;
  abstract thaw(): Promise<void>;
  abstract oomKilled(): boolean;
  abstract stats(): CgroupStats;
  abstract pids(): number[];
  /** Every directory this container owns (one per hierarchy on v1, one on v2). */
  protected abstract dirs(): string[];
  /** Whether freeze() can work here (v1 without a freezer hierarchy cannot). */
  protected abstract canFreeze(): boolean;

  /** Frozen processes cannot fork while we list and signal them, so none escapes; SIGKILL waits for the end. */
  async killAll(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    try {
      if (this.allPids().length === 0) return;
      if (!this.canFreeze()) return await this.signalUntilEmpty(signal);
      await this.freeze();
      try {
        signalEach(this.allPids(), signal);
      } finally {
        await this.thaw();
      }
      if (signal === 'SIGKILL') await this.waitEmpty();
    } catch (e) {
      // the container ended on its own meanwhile and its exit removed the cgroup: nothing is left to kill
      if (!this.dirs().some((dir) => isDir(dir))) return;
      throw e;
    }
  }

  async destroy(): Promise<void> {
    if (this.allPids().length > 0) await this.killAll('SIGKILL');
    for (const dir of this.dirs()) await removeCgroupTree(dir);
  }

  protected exists(): boolean {
    return this.dirs().some(isDir);
  }

  protected requireExists(): void {
    if (!this.exists()) throw new InternalError(`cgroup of container ${this.id} does not exist (create it first)`);
  }

  /** Union over every hierarchy: a process half-added (one hierarchy only) still counts. */
  protected allPids(): number[] {
    return [...new Set(this.dirs().flatMap(treePids))];
  }

  protected waitEmpty(): Promise<void> {
    return waitUntil(() => this.allPids().length === 0, `cgroup ${this.id} to become empty`, EMPTY_TIMEOUT_MS);
  }

  /** Without a freezer: signal repeatedly, so children forked meanwhile are caught on the next round. */
  private async signalUntilEmpty(signal: NodeJS.Signals): Promise<void> {
    signalEach(this.allPids(), signal);
    if (signal !== 'SIGKILL') return;
    const round = (): boolean => {
      const left = this.allPids();
      signalEach(left, signal);
      return left.length === 0;
    };
    await waitUntil(round, `cgroup ${this.id} to become empty`, EMPTY_TIMEOUT_MS);
  }
}
