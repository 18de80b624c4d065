/** Starts a container: its PID 1 in fresh namespaces over an overlay root, running the spec's process. */
import type { ContainerSpec } from './spec.js';
import { goStage, launchStage, type BeforeGo, type RunningContainer } from './launch-stage.js';
import type { StagePool } from './stage-pool.js';
import type { StdioRequest } from './stage-io.js';

export type { RunningContainer, BeforeGo } from './launch-stage.js';
export type { StdioRequest } from './stage-io.js';
export { StartError } from './errors.js';

export interface StartOptions {
  spec: ContainerSpec;
  stdio: StdioRequest; // terminal => the payload gets a pty slave as 0, 1, 2
  beforeGo: BeforeGo; // place the child in its cgroups (engine-owned), before it unshares its cgroup namespace
  joinCgroups?: string[]; // or let it join them itself (ContainerCgroup.selfJoinFiles)
  pool?: StagePool; // pre-spawned stages for the common stdio (no stdin, no terminal)
}

/** Resolves once the payload was exec'd; rejects with a StartError when the init stage failed before that. */
export function startContainer(opts: StartOptions): Promise<RunningContainer> {
  const terminal = opts.stdio.terminal;
  // host network: the stage (born in a fresh network namespace) joins the engine's own, read through the host's /proc
  const spec = opts.spec.hostNetwork && !opts.spec.netnsPath ? { ...opts.spec, netnsPath: `/proc/${process.pid}/ns/net` } : opts.spec;
  const go = { type: 'go-container', spec, ...(terminal ? { terminal } : {}), ...(opts.joinCgroups ? { joinCgroups: opts.joinCgroups } : {}) } as const;
  const pooled = !terminal && opts.stdio.stdin === 'ignore' ? opts.pool?.take() : undefined;
  if (pooled) return goStage(pooled, go, opts.beforeGo);
  return launchStage({ pidNamespace: 'new', stdio: opts.stdio, go, beforeGo: opts.beforeGo });
}
