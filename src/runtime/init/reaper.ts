/**
 * `init: true`: PID 1 stays a small Node process that runs the payload as its child, forwards signals to it,
 * reaps orphaned zombies, and exits with the payload's status (128+n when a signal killed it), as docker-init.
 */
import { spawn } from 'node:child_process';
import { closeSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { ProcessSpec } from '../spec.js';
import { reapChild } from '../syscalls.js';
import { send } from './channel.js';
import { CONTROL_FD } from './protocol.js';

const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGWINCH', 'SIGCONT', 'SIGALRM'];

function envObject(env: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) {
    const at = e.indexOf('=');
    if (at > 0) out[e.slice(0, at)] = e.slice(at + 1);
  }
  return out;
}

/** Zombies whose parent is us (re-parented orphans) other than the payload, which libuv reaps itself. */
function reapOrphans(payloadPid: number | undefined): void {
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === payloadPid || pid === 1) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' && fields[1] === '1') reapChild(pid);
  }
}

export function runReaper(executable: string, process: ProcessSpec): void {
  const child = spawn(executable, process.args.slice(1), { argv0: process.args[0], env: envObject(process.env), stdio: 'inherit' });
  child.on('spawn', () => closeSync(CONTROL_FD)); // tells the engine the payload started
  child.on('error', (err: NodeJS.ErrnoException) => {
    const exitCode = err.code === 'EACCES' ? 126 : err.code === 'ENOENT' ? 127 : 125;
    send({ type: 'failure', failure: { stage: 'exec', errno: err.code, message: `exec ${executable}: ${err.message}`, exitCode } });
    globalThis.process.exit(exitCode);
  });
  for (const sig of FORWARDED) globalThis.process.on(sig, () => child.kill(sig));
  globalThis.process.on('SIGCHLD', () => reapOrphans(child.pid));
  child.on('exit', (code, signal) => {
    reapOrphans(child.pid);
    globalThis.process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
  });
}
