import type { ContainerConfig, EndpointConfig, HostConfig } from '../api/docker-types.js';
import type { NetworkSettings } from '../networks/manager.js';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface HealthState {
  Status: 'starting' | 'healthy' | 'unhealthy' | 'none';
  FailingStreak: number;
  Log: Array<{ Start: string; End: string; ExitCode: number; Output: string }>;
}

export interface ContainerState {
  status: ContainerStatus;
  pid: number;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  startedAt: string; // RFC 3339; Docker's zero time when never
  finishedAt: string;
  health?: HealthState;
  /** Stopped by a user (stop/kill through the API): `unless-stopped` and `always` don't restart it until the engine restarts. */
  stoppedByUser: boolean;
}

/** One container as the engine keeps it on disk (`<root>/containers/<id>/container.json`). */
export interface ContainerRecord {
  id: string;
  name: string; // without Docker's leading slash
  created: string;
  imageId: string;
  imageRef: string; // the reference the client asked for (Config.Image)
  path: string; // the executable (first of entrypoint + cmd)
  args: string[];
  config: ContainerConfig;
  hostConfig: HostConfig;
  /** The networks asked at create with their per-network settings (aliases, --ip). */
  networkingConfig: { EndpointsConfig?: Record<string, EndpointConfig> };
  state: ContainerState;
  restartCount: number;
  logPath: string;
  /** Set while attached to networks (from start until exit). */
  networkSettings?: NetworkSettings;
}

/** Docker prints never-set times as Go's zero time. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function initialState(): ContainerState {
  return {
    status: 'created',
    pid: 0,
    exitCode: 0,
    error: '',
    oomKilled: false,
    startedAt: ZERO_TIME,
    finishedAt: ZERO_TIME,
    stoppedByUser: false,
  };
}
