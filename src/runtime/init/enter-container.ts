/**
 * The exec helper's work: join a running container's namespaces (already in its PID namespace: the engine
 * spawned us there), then the same last steps as the init stage.
 */
import type { ProcessSpec } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import { CLONE } from '../linux.js';
import type { TerminalSize } from './protocol.js';
import { preparePayload } from './exec-payload.js';

/** Joined in this order; mnt last because it also moves our root and cwd. */
const NAMESPACES: [string, number][] = [
  ['cgroup', CLONE.NEWCGROUP], ['ipc', CLONE.NEWIPC], ['uts', CLONE.NEWUTS], ['net', CLONE.NEWNET], ['mnt', CLONE.NEWNS],
];

export interface EnterOptions {
  lastCap: number;
  terminal?: TerminalSize;
  attachTerminal: (sys: Syscalls, size: TerminalSize, owner: { uid: number; gid: number }) => void;
}

export function enterContainer(sys: Syscalls, containerPid: number, process: ProcessSpec, opts: EnterOptions): string {
  // setns(CLONE_NEWNS) fails with EINVAL while our threads share one fs_struct: take our own first
  sys.unshare(CLONE.FS);
  const fds = NAMESPACES.map(([name, type]) => [sys.open(`/proc/${containerPid}/ns/${name}`, 0), type] as const);
  for (const [fd, type] of fds) {
    sys.setns(fd, type);
    sys.close(fd);
  }
  if (opts.terminal) opts.attachTerminal(sys, opts.terminal, process.user);
  return preparePayload(sys, process, opts.lastCap);
}
