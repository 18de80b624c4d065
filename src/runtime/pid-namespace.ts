/**
 * Spawning a child as PID 1 of a new PID namespace (or into an existing one) from Node, which cannot fork:
 * set the main thread's pid_for_children, spawn (libuv forks on this thread), then set it back right away.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { openSync } from 'node:fs';
import { CLONE } from './linux.js';
import { setns, unshare } from './syscalls.js';

let ownPidNamespace: number | undefined;
let ownNetNamespace: number | undefined;

/**
 * `where`: 'new' for a fresh PID namespace, which also gets a fresh network namespace (the engine plugs its
 * interfaces in before "go"), or an open fd of /proc/<pid>/ns/pid to join (exec: no new network namespace).
 * unshare(CLONE_NEWNET) moves this very thread, so it is set back at once too; nothing else runs on it meanwhile.
 */
export function spawnInPidNamespace(where: 'new' | number, command: string, args: string[], options: SpawnOptions): ChildProcess {
  ownPidNamespace ??= openSync('/proc/self/ns/pid', 'r');
  ownNetNamespace ??= openSync('/proc/self/ns/net', 'r');
  if (where === 'new') unshare(CLONE.NEWPID | CLONE.NEWNET);
  else setns(where, CLONE.NEWPID);
  try {
    return spawn(command, args, options);
  } finally {
    // later spawns of the engine are normal again (and unshare(CLONE_NEWPID) may be called again)
    setns(ownPidNamespace, CLONE.NEWPID);
    if (where === 'new') setns(ownNetNamespace, CLONE.NEWNET);
  }
}
