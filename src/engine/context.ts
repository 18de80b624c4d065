import type { EventEmitter } from 'node:events';
import type { ImageStore } from '../image/image-store.js';
import type { BuildCache } from '../build/cache.js';
import type { CgroupDriver, ContainerCgroup } from '../runtime/cgroups/index.js';
import type { RunningContainer } from '../runtime/start-container.js';
import type { StagePool } from '../runtime/stage-pool.js';
import type { EngineConfig } from './config.js';
import type { ContainerStore } from './containers/store.js';
import type { EventBus } from './events.js';
import type { NetworkService } from './networks/manager.js';
import type { VolumeManager } from './volumes/manager.js';
import type { JsonFileLogWriter } from './logs/json-file.js';

/** A started container's live parts, kept in memory by the engine while it runs. */
export interface RunningHandle {
  process: RunningContainer;
  cgroup: ContainerCgroup;
  logs: JsonFileLogWriter;
  /** Resolves after the engine has recorded the exit (state saved, cgroup gone, logs flushed). */
  settled: Promise<void>;
  /** Stops the healthcheck probes, when the container has a healthcheck. */
  stopHealth?: () => void;
}

/** One exec instance: its config (Docker's ExecConfig) and, once started, its process. */
export interface ExecRecord {
  id: string;
  containerId: string;
  config: { Cmd: string[]; Env?: string[]; User?: string; WorkingDir?: string; Tty?: boolean; AttachStdin?: boolean; AttachStdout?: boolean; AttachStderr?: boolean; Privileged?: boolean; DetachKeys?: string };
  running: boolean;
  exitCode: number | null;
  pid: number;
  process?: RunningContainer;
  exited?: Promise<void>;
}

/** Everything the API handlers and container operations share. */
export interface EngineContext {
  config: EngineConfig;
  engineId: string;
  kernelVersion: string;
  containers: ContainerStore;
  images: ImageStore;
  /** Which image each build step produced (src/build/cache.ts). */
  buildCache: BuildCache;
  cgroups: CgroupDriver;
  events: EventBus;
  running: Map<string, RunningHandle>;
  networks: NetworkService;
  volumes: VolumeManager;
  /** Init stages spawned ahead of need (see runtime/stage-pool.ts). */
  stagePool: StagePool;
  /** Live output of each container (`data` events: stream name, chunk), for attach; exists from create on. */
  outputs: Map<string, EventEmitter>;
  /** `docker exec` instances, in memory only (as in Docker, they do not survive the engine). */
  execs: Map<string, ExecRecord>;
  /** Resolves when the container (by id) is removed; for `wait?condition=removed`. */
  removals: Map<string, Array<() => void>>;
}
