/**
 * Spawning a child as PID 1 of a new PID namespace (or into an existing one) from Node, which cannot fork:
 * set the main thread's pid_for_children, spawn (libuv forks on this thread), then set it back right away.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { openSync } from 'node:fs';
import { CLONE } from './linux.js';
import { setns, unshare } from './syscalls.js';

let ownPidNamespace: number | undefined;

/** `where`: 'new' for a fresh namespace, or an open fd of /proc/<pid>/ns/pid to join. */
export function spawnInPidNamespace(where: 'new' | number, command: string, args: string[], options: SpawnOptions): ChildProcess {
  ownPidNamespace ??= openSync('/proc/self/ns/pid', 'r');
  if (where === 'new') unshare(CLONE.NEWPID);
  else setns(where, CLONE.NEWPID);
  try {
    return spawn(command, args, options);
  } finally {
    // later spawns of the engine are normal again (and unshare(CLONE_NEWPID) may be called again)
    setns(ownPidNamespace, CLONE.NEWPID);
  }
}
