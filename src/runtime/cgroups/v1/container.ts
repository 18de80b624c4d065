/** One container's cgroups on v1: a directory per hierarchy, all named <mount>/<parent>/<id>. */
import { join } from 'node:path';
import { UserError } from '../../../errors.js';
import { BaseCgroup, FREEZE_TIMEOUT_MS } from '../base.js';
import type { V1ControllerName } from '../detect.js';
import { makePath, readPids, writeValue } from '../fs.js';
import { checkLimits, requireControllers } from '../limits.js';
import type { CgroupLimits, CgroupStats } from '../types.js';
import { applyCpu, cpuThrottledPeriods } from './cpu.js';
import { cpuUsageNanos } from './cpuacct.js';
import { applyCpuset, inheritCpuset } from './cpuset.js';
import { freezeV1, thawV1 } from './freezer.js';
import { applyMemory, memoryOomKilled, memoryStats } from './memory.js';
import { applyPids, pidsStats } from './pids.js';

export class V1Cgroup extends BaseCgroup {
  constructor(
    id: string,
    private readonly mounts: ReadonlyMap<V1ControllerName, string>,
    private readonly parent: string,
  ) {
    super(id);
  }

  create(limits: CgroupLimits): void {
    this.checkLimits(limits);
    for (const [name, mount] of this.mounts) {
      makePath(mount, `${this.parent}/${this.id}`, name === 'cpuset' ? inheritCpuset : undefined);
    }
    this.apply(limits);
  }

  update(limits: CgroupLimits): void {
    this.checkLimits(limits);
    this.requireExists();
    this.apply(limits);
  }

  addProcess(pid: number): void {
    for (const dir of this.dirs()) writeValue(dir, 'cgroup.procs', pid);
  }

  /** `tasks` with "0": the kernel skips the threadgroup lock for a thread that moves itself. */
  selfJoinFiles(): string[] {
    return this.dirs().map((dir) => join(dir, 'tasks'));
  }

  freeze(): Promise<void> {
    return freezeV1(this.freezerDir(), FREEZE_TIMEOUT_MS);
  }

  thaw(): Promise<void> {
    return thawV1(this.freezerDir(), FREEZE_TIMEOUT_MS);
  }

  oomKilled(): boolean {
    const dir = this.dir('memory');
    return dir !== undefined && memoryOomKilled(dir);
  }

  stats(): CgroupStats {
    const [memory, cpu, cpuacct, pids] = [this.dir('memory'), this.dir('cpu'), this.dir('cpuacct'), this.dir('pids')];
    return {
      memory: memory ? memoryStats(memory) : { usageBytes: 0 },
      cpu: { usageNanos: cpuacct ? cpuUsageNanos(cpuacct) : 0, throttledPeriods: cpu ? cpuThrottledPeriods(cpu) : 0 },
      pids: pids ? pidsStats(pids) : { current: 0 },
    };
  }

  pids(): number[] {
    const dir = this.dir('freezer') ?? this.dir('pids') ?? this.dirs()[0];
    return dir ? readPids(dir) : [];
  }

  /** Deduplicated: co-mounted hierarchies (cpu,cpuacct) reach one directory through two names. */
  protected dirs(): string[] {
    return [...new Set([...this.mounts.values()].map((mount) => join(mount, this.parent, this.id)))];
  }

  protected canFreeze(): boolean {
    return this.mounts.has('freezer');
  }

  private checkLimits(limits: CgroupLimits): void {
    checkLimits(limits);
    requireControllers(limits, (name) => this.mounts.has(name as V1ControllerName));
  }

  private apply(limits: CgroupLimits): void {
    const [memory, cpu, cpuset, pids] = [this.dir('memory'), this.dir('cpu'), this.dir('cpuset'), this.dir('pids')];
    if (memory) applyMemory(memory, limits);
    if (cpu) applyCpu(cpu, limits);
    if (cpuset) applyCpuset(cpuset, limits);
    if (pids) applyPids(pids, limits);
  }

  private dir(name: V1ControllerName): string | undefined {
    const mount = this.mounts.get(name);
    return mount === undefined ? undefined : join(mount, this.parent, this.id);
  }

  private freezerDir(): string {
    const dir = this.dir('freezer');
    if (!dir) throw new UserError('pausing a container needs the freezer cgroup controller, which is not available on this host');
    return dir;
  }
}
