/**
 * What the runtime needs to start one container: pure data, no behaviour (runc's "configs" split).
 * The engine translates its Docker-shaped container config into this; the runtime executes it.
 */

/** A filesystem to mount inside the container, in order. Sources are host paths. */
export type MountSpec =
  | { type: 'bind'; source: string; target: string; readOnly: boolean; recursive?: boolean; propagation?: 'rprivate' | 'private' | 'rshared' | 'shared' | 'rslave' | 'slave' }
  | { type: 'tmpfs'; target: string; sizeBytes?: number; mode?: number; readOnly?: boolean; options?: string[] }
  /** An image's layers, read-only: lowerDirs lowest first (as the rootfs's); subpath relative, without `..`. */
  | { type: 'image'; lowerDirs: string[]; subpath?: string; target: string };

export interface UserSpec {
  uid: number;
  gid: number;
  additionalGids: number[];
}

export interface RlimitSpec {
  name: string; // docker names: nofile, nproc, core, ... (RLIMIT_<NAME>)
  soft: number;
  hard: number;
}

/** The overlay root filesystem: image snapshots (lowest first) under a per-container writable layer. */
export interface RootfsSpec {
  lowerDirs: string[]; // absolute, lowest layer first; an image with no layers has none (an empty dir is used)
  upperDir: string;
  workDir: string;
  mountPoint: string; // where the overlay is mounted (inside the container's own mount namespace only)
  readOnly: boolean;
}

export interface ProcessSpec {
  args: string[]; // argv; args[0] is looked up in PATH of `env` inside the container when it has no '/'
  env: string[]; // KEY=VALUE
  cwd: string;
  user: UserSpec;
  terminal: boolean;
  noNewPrivileges: boolean;
  capabilities: string[]; // CAP_* names kept (bounding, effective, permitted, inheritable); others dropped
  rlimits: RlimitSpec[];
}

export interface ContainerSpec {
  id: string;
  hostname: string;
  domainname?: string;
  rootfs: RootfsSpec;
  process: ProcessSpec;
  mounts: MountSpec[]; // volumes, binds, tmpfs; applied after the standard /proc /dev /sys mounts
  /** Host files bind-mounted over /etc/hosts, /etc/hostname, /etc/resolv.conf when given. */
  etcFiles: { hosts?: string; hostname?: string; resolvConf?: string };
  maskedPaths: string[];
  readonlyPaths: string[];
  sysctls: Record<string, string>; // namespaced ones only (net.*, kernel.shm*, kernel.msg*, fs.mqueue.*)
  /**
   * Join this network namespace (e.g. /proc/<pid>/ns/net of another container); undefined = the stage's own, fresh
   * one (it is spawned in a new network namespace), where the engine plugged the container's interfaces in before
   * "go" (through /proc/<stage pid>/ns/net); `lo` is brought up there.
   */
  netnsPath?: string;
  /** Join this IPC namespace (the host's, or another container's) instead of a fresh one. */
  ipcnsPath?: string;
  /** Share the host's network namespace (network_mode: host). */
  hostNetwork?: boolean;
  privileged: boolean;
  /** Run a tiny reaper as PID 1 that forwards signals to the payload (docker run --init). */
  init: boolean;
}

/** How a container's main process ended. */
export interface ExitStatus {
  exitCode: number; // 128+signal when killed by a signal, as docker reports it
  signal?: string;
  oomKilled: boolean;
  finishedAt: Date;
}

/** A failure before the payload was exec'd, reported by the init stage (Docker's exit codes: 126, 127, 125). */
export interface StartFailure {
  stage: string; // e.g. "exec", "mount /proc", "setuid"
  errno?: string; // e.g. "ENOENT"
  message: string; // e.g. 'exec: "nosuch": executable file not found in $PATH'
  exitCode: 125 | 126 | 127;
}
