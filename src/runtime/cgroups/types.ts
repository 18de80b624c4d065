/** What a container may use. Every field is optional: undefined means "leave as it is". */
export interface CgroupLimits {
  memoryBytes?: number; // mem_limit / --memory (0 = unset, -1 = unlimited)
  memoryReservationBytes?: number; // mem_reservation (v1 memory.soft_limit_in_bytes, v2 memory.low)
  memorySwapBytes?: number; // memswap_limit: memory + swap, as Docker counts it (-1 unlimited, 0 unset)
  cpuQuota?: { quotaUs: number; periodUs: number }; // cpus: 1.5 → 150000/100000 (quotaUs <= 0 = unlimited)
  cpuShares?: number; // cpu_shares (v2: converted to cpu.weight as runc does; 0 = unset)
  cpusetCpus?: string; // "0-2,4"
  pidsMax?: number; // pids_limit (-1 or 0 = unlimited)
}

export interface CgroupStats {
  memory: { usageBytes: number; limitBytes?: number };
  cpu: { usageNanos: number; throttledPeriods: number };
  pids: { current: number; limit?: number };
}

export interface ContainerCgroup {
  readonly id: string;
  /** Creates every controller's directory (idempotent) and writes the limits. */
  create(limits: CgroupLimits): void;
  update(limits: CgroupLimits): void;
  /** Moves a process into the container's cgroup of every controller. */
  addProcess(pid: number): void;
  /**
   * Files into which a process writes "0" to move itself (its calling thread, and so whatever that thread forks or
   * execs) into the container's cgroups; undefined where only `addProcess` can place it. On v1 such a move takes no
   * global lock, while writing another process's PID waits for an RCU grace period: 10-15 ms per container start here.
   */
  selfJoinFiles(): string[] | undefined;
  /** Pause: resolves once every process is frozen. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Signals every process in the cgroup; with SIGKILL (the default) resolves once the cgroup is empty. */
  killAll(signal?: NodeJS.Signals): Promise<void>;
  /** Whether the kernel's OOM killer has killed a process of this cgroup (read it before destroy). */
  oomKilled(): boolean;
  stats(): CgroupStats;
  /** Host PIDs of the processes in the cgroup (for `top`). */
  pids(): number[];
  /** Kills what is left, waits until empty, removes every directory. Idempotent. */
  destroy(): Promise<void>;
}

export interface CgroupDriver {
  readonly version: 'v1' | 'v2';
  container(id: string): ContainerCgroup;
  /** Ids of the container cgroups under the parent (for crash reconcile). */
  listContainerIds(): string[];
  removeParentIfEmpty(): void;
}

export interface CgroupDriverOptions {
  parent?: string; // below each hierarchy's root; default "tscompose"
  root?: string; // where cgroupfs is mounted; default /sys/fs/cgroup
  version?: 'v1' | 'v2'; // skip detection
}
