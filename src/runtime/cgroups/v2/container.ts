/** One container's cgroup on v2: a single directory <root>/<parent>/<id>. */
import { join } from 'node:path';
import { BaseCgroup, FREEZE_TIMEOUT_MS } from '../base.js';
import { makePath, readPids, writeValue } from '../fs.js';
import { checkLimits, requireControllers } from '../limits.js';
import type { CgroupLimits, CgroupStats } from '../types.js';
import { delegateControllers, enabledControllers } from './controllers.js';
import { applyCpuV2, cpuStatsV2 } from './cpu.js';
import { applyCpusetV2 } from './cpuset.js';
import { freezeV2, thawV2 } from './freezer.js';
import { canKillAll, killAllV2 } from './kill.js';
import { applyMemoryV2, memoryOomKilledV2, memoryStatsV2 } from './memory.js';
import { applyPidsV2, pidsStatsV2 } from './pids.js';

export class V2Cgroup extends BaseCgroup {
  private readonly dir: string;

  constructor(
    id: string,
    private readonly root: string,
    private readonly parent: string,
  ) {
    super(id);
    this.dir = join(root, parent, id);
  }

  create(limits: CgroupLimits): void {
    checkLimits(limits);
    const enabled = delegateControllers(this.root, this.parent);
    requireControllers(limits, (name) => enabled.has(name));
    makePath(join(this.root, this.parent), this.id);
    this.apply(limits, enabled);
  }

  update(limits: CgroupLimits): void {
    checkLimits(limits);
    this.requireExists();
    const enabled = enabledControllers(join(this.root, this.parent));
    requireControllers(limits, (name) => enabled.has(name));
    this.apply(limits, enabled);
  }

  addProcess(pid: number): void {
    writeValue(this.dir, 'cgroup.procs', pid);
  }

  /** v2 moves whole processes only (cgroup.threads needs threaded mode): the engine places the stage. */
  selfJoinFiles(): undefined {
    return undefined;
  }

  freeze(): Promise<void> {
    return freezeV2(this.dir, FREEZE_TIMEOUT_MS);
  }

  thaw(): Promise<void> {
    return thawV2(this.dir, FREEZE_TIMEOUT_MS);
  }

  /** SIGKILL through cgroup.kill where the kernel has it; other signals through the freezer. */
  override async killAll(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (signal !== 'SIGKILL' || !canKillAll(this.dir) || this.allPids().length === 0) return super.killAll(signal);
    killAllV2(this.dir);
    await this.waitEmpty();
  }

  oomKilled(): boolean {
    return memoryOomKilledV2(this.dir);
  }

  stats(): CgroupStats {
    return { memory: memoryStatsV2(this.dir), cpu: cpuStatsV2(this.dir), pids: pidsStatsV2(this.dir) };
  }

  pids(): number[] {
    return readPids(this.dir);
  }

  protected dirs(): string[] {
    return [this.dir];
  }

  protected canFreeze(): boolean {
    return true;
  }

  /** A controller that is not enabled has no files: only "unset"/"unlimited" values can reach here for it. */
  private apply(limits: CgroupLimits, enabled: Set<string>): void {
    if (enabled.has('memory')) applyMemoryV2(this.dir, limits);
    if (enabled.has('cpu')) applyCpuV2(this.dir, limits);
    if (enabled.has('cpuset')) applyCpusetV2(this.dir, limits);
    if (enabled.has('pids')) applyPidsV2(this.dir, limits);
  }
}
