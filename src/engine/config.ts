import { join } from 'node:path';

/** Where one engine keeps its state and listens; tests give each engine its own. */
export interface EngineConfig {
  root: string; // TSCOMPOSE_ROOT, default /var/lib/tscompose
  socketPath: string; // TSCOMPOSE_HOST (a path or unix:///path), default /run/tscompose/engine.sock
  cgroupParent: string; // TSCOMPOSE_CGROUP_PARENT, default "tscompose"
  logFile: string; // the engine's own log
  stagePoolSize: number; // TSCOMPOSE_STAGE_POOL: init stages kept ready (0 = spawn each on demand)
}

export const DEFAULT_ROOT = '/var/lib/tscompose';
export const DEFAULT_SOCKET = '/run/tscompose/engine.sock';

export function engineConfigFromEnv(env: NodeJS.ProcessEnv): EngineConfig {
  const root = env.TSCOMPOSE_ROOT || DEFAULT_ROOT;
  return {
    root,
    socketPath: socketPathOf(env.TSCOMPOSE_HOST || DEFAULT_SOCKET),
    cgroupParent: env.TSCOMPOSE_CGROUP_PARENT || 'tscompose',
    logFile: join(root, 'engine.log'),
    stagePoolSize: poolSize(env.TSCOMPOSE_STAGE_POOL),
  };
}

/** Accepts Docker's `unix:///path` form as well as a plain path. */
export function socketPathOf(host: string): string {
  return host.startsWith('unix://') ? host.slice('unix://'.length) : host;
}

/**
 * One ready stage by default: it costs an idle Node process (~50 MB RSS), and its replacement starts spawning the
 * moment it is taken, so a burst of starts finds the next one already booting.
 */
function poolSize(value: string | undefined): number {
  const n = Number(value ?? 1);
  return Number.isInteger(n) && n >= 0 ? n : 1;
}
