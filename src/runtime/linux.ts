/**
 * Linux constants the runtime passes to syscalls (x86_64 and aarch64 share all of these except syscall numbers).
 * Values from the kernel's uapi headers.
 */

export const CLONE = {
  NEWNS: 0x00020000,
  NEWCGROUP: 0x02000000,
  NEWUTS: 0x04000000,
  NEWIPC: 0x08000000,
  NEWUSER: 0x10000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
  FS: 0x00000200,
} as const;

export const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  REMOUNT: 32,
  NOATIME: 1024,
  BIND: 4096,
  REC: 16384,
  PRIVATE: 1 << 18,
  SLAVE: 1 << 19,
  SHARED: 1 << 20,
  RELATIME: 1 << 21,
  STRICTATIME: 1 << 24,
} as const;

export const MNT_DETACH = 2;

export const PR = {
  SET_PDEATHSIG: 1,
  SET_KEEPCAPS: 8,
  CAPBSET_DROP: 24,
  SET_NO_NEW_PRIVS: 38,
  CAP_AMBIENT: 47,
  CAP_AMBIENT_CLEAR_ALL: 4,
} as const;

export const S_IFCHR = 0o020000;
export const O_CLOEXEC = 0o2000000;
export const O_NONBLOCK = 0o4000;
export const O_RDWR = 2;
export const O_NOCTTY = 0o400;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const SIG_SETMASK = 2;
export const CLOSE_RANGE_CLOEXEC = 4;

export const AF_INET = 2;
export const SOCK_DGRAM = 2;
export const SIOCGIFFLAGS = 0x8913;
export const SIOCSIFFLAGS = 0x8914;
export const IFF_UP = 0x1;
export const TIOCSCTTY = 0x540e;
export const TIOCSWINSZ = 0x5414;
export const TIOCGPTN = 0x80045430;
export const TIOCSPTLCK = 0x40045431;

export const RLIMIT: Record<string, number> = {
  cpu: 0, fsize: 1, data: 2, stack: 3, core: 4, rss: 5, nproc: 6, nofile: 7,
  memlock: 8, as: 9, locks: 10, sigpending: 11, msgqueue: 12, nice: 13, rtprio: 14, rttime: 15,
};

/** Syscall numbers for calls glibc has no wrapper for. */
export const SYS: Record<string, { pivot_root: number; pidfd_open: number; pidfd_getfd: number }> = {
  x64: { pivot_root: 155, pidfd_open: 434, pidfd_getfd: 438 },
  arm64: { pivot_root: 41, pidfd_open: 434, pidfd_getfd: 438 },
};

/** makedev() of glibc: the dev_t of a device number pair. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffn) << 8n) | ((ma & ~0xfffn) << 32n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n);
}
