/** The last steps before the payload runs: working directory, privileges, executable, signals, fds, execve. */
import type { ProcessSpec } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import { applyRlimits, dropPrivileges } from './privileges.js';
import { findExecutable } from './lookup.js';
import { PR } from '../linux.js';

const SIGKILL = 9;

/** Everything up to (not including) execve; returns the executable's path. Runs inside the new root. */
export function preparePayload(sys: Syscalls, process: ProcessSpec, lastCap: number): string {
  applyRlimits(sys, process);
  dropPrivileges(sys, process, lastCap);
  // Dies with the engine (no orphans): set after the uid change, which clears it. PID 1 dying ends the namespace.
  sys.prctl(PR.SET_PDEATHSIG, SIGKILL);
  sys.chdir(process.cwd);
  return findExecutable(sys, process.args[0] ?? '', process.env);
}

/** Node leaves SIGPIPE ignored and fds 0-2 close-on-exec (or non-blocking): undo that, then replace ourselves. */
export function execPayload(sys: Syscalls, executable: string, process: ProcessSpec): never {
  cleanExecState(sys);
  return sys.execve(executable, process.args, process.env);
}

export function cleanExecState(sys: Syscalls): void {
  sys.resetSignals();
  for (const fd of [0, 1, 2]) sys.clearFdFlags(fd);
  sys.closeRangeCloexec(3);
}
