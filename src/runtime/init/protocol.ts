/**
 * Messages on the control channel (fd 3 of the init stage / exec helper), one JSON object per line.
 * Engine → stage: one `GoMessage` (after the child was placed in its cgroups, or telling it where to join them),
 * later `PtyTaken`.
 * Stage → engine: `PtyReady` (a terminal master waits to be taken), `FailureMessage` before exiting.
 * A successful execve closes the channel (it is close-on-exec): end of file with no failure = started.
 */
import type { ContainerSpec, ProcessSpec, StartFailure } from '../spec.js';

export interface TerminalSize {
  rows: number;
  cols: number;
}

export type GoMessage = (
  | { type: 'go-container'; spec: ContainerSpec; terminal?: TerminalSize }
  | { type: 'go-exec'; containerPid: number; process: ProcessSpec; terminal?: TerminalSize }
) & {
  /** cgroup files the stage writes "0" into first, to join the container's cgroups itself (ContainerCgroup.selfJoinFiles). */
  joinCgroups?: string[];
};

export interface PtyTaken {
  type: 'pty-taken';
}

export interface PtyReady {
  type: 'pty-ready';
  fd: number; // the master's fd number in the stage, for pidfd_getfd
}

export interface FailureMessage {
  type: 'failure';
  failure: StartFailure;
}

export type StageMessage = PtyReady | FailureMessage;

/** The control channel's fd number in the stage process. */
export const CONTROL_FD = 3;
