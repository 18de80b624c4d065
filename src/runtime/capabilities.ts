/** Linux capabilities: names, Docker's default set, and cap_add / cap_drop resolution. */
import { UserError } from '../errors.js';

/** CAP_* name → bit number (linux/capability.h). */
export const CAPABILITY_BITS: Readonly<Record<string, number>> = {
  CAP_CHOWN: 0, CAP_DAC_OVERRIDE: 1, CAP_DAC_READ_SEARCH: 2, CAP_FOWNER: 3, CAP_FSETID: 4, CAP_KILL: 5,
  CAP_SETGID: 6, CAP_SETUID: 7, CAP_SETPCAP: 8, CAP_LINUX_IMMUTABLE: 9, CAP_NET_BIND_SERVICE: 10,
  CAP_NET_BROADCAST: 11, CAP_NET_ADMIN: 12, CAP_NET_RAW: 13, CAP_IPC_LOCK: 14, CAP_IPC_OWNER: 15,
  CAP_SYS_MODULE: 16, CAP_SYS_RAWIO: 17, CAP_SYS_CHROOT: 18, CAP_SYS_PTRACE: 19, CAP_SYS_PACCT: 20,
  CAP_SYS_ADMIN: 21, CAP_SYS_BOOT: 22, CAP_SYS_NICE: 23, CAP_SYS_RESOURCE: 24, CAP_SYS_TIME: 25,
  CAP_SYS_TTY_CONFIG: 26, CAP_MKNOD: 27, CAP_LEASE: 28, CAP_AUDIT_WRITE: 29, CAP_AUDIT_CONTROL: 30,
  CAP_SETFCAP: 31, CAP_MAC_OVERRIDE: 32, CAP_MAC_ADMIN: 33, CAP_SYSLOG: 34, CAP_WAKE_ALARM: 35,
  CAP_BLOCK_SUSPEND: 36, CAP_AUDIT_READ: 37, CAP_PERFMON: 38, CAP_BPF: 39, CAP_CHECKPOINT_RESTORE: 40,
};

/** Docker's default set (moby oci/caps/defaults.go), in its order. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

export const ALL_CAPABILITIES: readonly string[] = Object.keys(CAPABILITY_BITS);

/** "net_admin", "NET_ADMIN", "CAP_NET_ADMIN" → "CAP_NET_ADMIN"; "ALL" stays "ALL". */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return upper;
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!(full in CAPABILITY_BITS)) throw new UserError(`unknown capability: "${name}"`);
  return full;
}

/** The kept set as Docker computes it: defaults (or all when privileged), then adds, then drops; "ALL" allowed in both. */
export function resolveCapabilities(opts: { capAdd?: string[]; capDrop?: string[]; privileged?: boolean }): string[] {
  if (opts.privileged) return [...ALL_CAPABILITIES];
  const add = (opts.capAdd ?? []).map(normalizeCapability);
  const drop = (opts.capDrop ?? []).map(normalizeCapability);
  if (add.includes('ALL')) return ALL_CAPABILITIES.filter((c) => !drop.includes(c) || add.includes(c));
  const base = drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  const kept = new Set([...base, ...add.filter((c) => c !== 'ALL')]);
  return ALL_CAPABILITIES.filter((c) => kept.has(c));
}

/** The capability names as a bit mask, ignoring caps the running kernel does not know (above `lastCap`). */
export function capabilityMask(names: readonly string[], lastCap = 63): bigint {
  let mask = 0n;
  for (const name of names) {
    const bit = CAPABILITY_BITS[name];
    if (bit === undefined) throw new UserError(`unknown capability: "${name}"`);
    if (bit <= lastCap) mask |= 1n << BigInt(bit);
  }
  return mask;
}
