/**
 * The init stage and the exec helper (one small program; the engine's first message says which).
 * Loaded by `node` in a fresh PID namespace with fd 3 = control channel. Imports koffi and nothing heavy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { realSyscalls as sys } from '../syscalls.js';
import { receive, send } from './channel.js';
import { CONTROL_FD, type GoMessage } from './protocol.js';
import { setupContainer } from './setup-container.js';
import { enterContainer } from './enter-container.js';
import { execPayload } from './exec-payload.js';
import { attachTerminal } from './terminal.js';
import { toStartFailure } from './failure.js';
import { cgroupLayoutOf } from './cgroup-mount.js';

type RunReaper = typeof import('./reaper.js').runReaper;

function run(go: GoMessage, lastCap: number, runReaper: RunReaper | undefined): void {
  // first, while the host's /sys/fs/cgroup is still what we see: what we fork or exec from here on is in them too
  for (const file of go.joinCgroups ?? []) writeFileSync(file, '0');
  const opts = { lastCap, terminal: go.terminal, attachTerminal };
  if (go.type === 'go-exec') {
    const executable = enterContainer(sys, go.containerPid, go.process, opts);
    execPayload(sys, executable, go.process);
  }
  const { spec } = go as Extract<GoMessage, { type: 'go-container' }>;
  // in our cgroups now, before the cgroup namespace is unshared
  const cgroups = cgroupLayoutOf(readFileSync('/proc/self/cgroup', 'utf8'));
  const executable = setupContainer(sys, spec, { ...opts, cgroups });
  if (runReaper) runReaper(executable, spec.process);
  else execPayload(sys, executable, spec.process);
}

try {
  // read while the host's /proc is still ours
  const lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
  // Sleep in read(2), not spin: a pooled stage may wait long. Loads koffi now, before "go", too.
  sys.setBlocking(CONTROL_FD);
  const go = receive<GoMessage>();
  // the reaper (and child_process) only when asked, and before pivot_root hides our own files
  const reaper = go.type === 'go-container' && go.spec.init ? (await import('./reaper.js')).runReaper : undefined;
  run(go, lastCap, reaper);
} catch (err) {
  const failure = toStartFailure(err);
  try {
    send({ type: 'failure', failure });
  } finally {
    process.exit(failure.exitCode);
  }
}
