/** Resource limits, capabilities, no_new_privs and the user switch, in runc's order. */
import type { ProcessSpec } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import { PR, RLIMIT } from '../linux.js';
import { capabilityMask } from '../capabilities.js';

const UNLIMITED = 0xffffffffffffffffn;

const limit = (n: number): bigint => (n < 0 ? UNLIMITED : BigInt(n));

/** As root, before capabilities go (raising a hard limit needs CAP_SYS_RESOURCE). */
export function applyRlimits(sys: Syscalls, process: ProcessSpec): void {
  for (const r of process.rlimits) {
    const resource = RLIMIT[r.name.toLowerCase().replace(/^rlimit_/, '')];
    if (resource === undefined) throw new Error(`unknown rlimit ${r.name}`);
    sys.setrlimit(resource, limit(r.soft), limit(r.hard));
  }
}

/**
 * Bounding set first (needs CAP_SETPCAP), keep capabilities across the uid change, switch groups and user,
 * then set effective = permitted = the kept set; inheritable and ambient stay empty, as in current Docker.
 */
export function dropPrivileges(sys: Syscalls, process: ProcessSpec, lastCap: number): void {
  const kept = capabilityMask(process.capabilities, lastCap);
  for (let cap = 0; cap <= lastCap; cap++) {
    if (!(kept & (1n << BigInt(cap)))) sys.prctl(PR.CAPBSET_DROP, cap);
  }
  if (process.noNewPrivileges) sys.prctl(PR.SET_NO_NEW_PRIVS, 1);
  sys.prctl(PR.SET_KEEPCAPS, 1);
  sys.setgroups(process.user.additionalGids);
  sys.setresgid(process.user.gid);
  sys.setresuid(process.user.uid);
  sys.prctl(PR.SET_KEEPCAPS, 0);
  sys.capset(kept, kept, 0n);
}
