/** Runs one more process inside a running container (docker exec): its PID namespace, then its other namespaces. */
import { closeSync, openSync } from 'node:fs';
import type { ProcessSpec } from './spec.js';
import { launchStage, type BeforeGo, type RunningContainer } from './launch-stage.js';
import type { StdioRequest } from './stage-io.js';

export interface ExecOptions {
  containerPid: number; // host PID of the container's PID 1
  process: ProcessSpec;
  stdio: StdioRequest;
  beforeGo?: BeforeGo; // place the helper in the container's cgroups
  joinCgroups?: string[]; // or let it join them itself (ContainerCgroup.selfJoinFiles)
}

export async function execInContainer(opts: ExecOptions): Promise<RunningContainer> {
  const pidNs = openSync(`/proc/${opts.containerPid}/ns/pid`, 'r');
  const terminal = opts.stdio.terminal;
  const launched = launchStage({
    pidNamespace: pidNs,
    stdio: opts.stdio,
    go: { type: 'go-exec', containerPid: opts.containerPid, process: opts.process, ...(terminal ? { terminal } : {}), ...(opts.joinCgroups ? { joinCgroups: opts.joinCgroups } : {}) },
    ...(opts.beforeGo ? { beforeGo: opts.beforeGo } : {}),
  });
  closeSync(pidNs); // the spawn already happened synchronously inside launchStage
  return launched;
}
