/**
 * Every koffi declaration of the runtime lives here: typed wrappers around libc that throw a SyscallError
 * carrying the errno name on failure. The init stage talks to the kernel only through the `Syscalls`
 * interface below, so the order of its operations can be recorded by a fake and unit-tested without root.
 */
import * as fs from 'node:fs';
import koffi from 'koffi';
import { F_GETFL, F_SETFD, F_SETFL, O_NONBLOCK, AF_INET, SOCK_DGRAM, SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP, TIOCSCTTY, TIOCSWINSZ, TIOCSPTLCK, TIOCGPTN, SYS, SIG_SETMASK, makedev } from './linux.js';

/** A failed system call: `errno` is the symbolic name (ENOENT, EPERM, ...). */
export class SyscallError extends Error {
  constructor(
    readonly syscall: string,
    readonly errno: string,
    readonly detail: string,
    description: string,
  ) {
    super(`${syscall}${detail ? ` ${detail}` : ''}: ${description}`);
    this.name = 'SyscallError';
  }
}

export type PathKind = 'dir' | 'file' | 'symlink' | 'other';

/** What the init stage and the exec helper ask of the kernel (and of the filesystem, synchronously). */
export interface Syscalls {
  unshare(flags: number): void;
  setns(fd: number, nstype: number): void;
  open(path: string, flags: number): number;
  close(fd: number): void;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount2(target: string, flags: number): void;
  pivotRoot(newRoot: string, putOld: string): void;
  chdir(path: string): void;
  sethostname(name: string): void;
  setdomainname(name: string): void;
  mknod(path: string, mode: number, major: number, minor: number): void;
  prctl(option: number, arg2: number, arg3?: number): void;
  capset(effective: bigint, permitted: bigint, inheritable: bigint): void;
  setgroups(gids: number[]): void;
  setresgid(gid: number): void;
  setresuid(uid: number): void;
  setrlimit(resource: number, soft: bigint, hard: bigint): void;
  setsid(): void;
  setControllingTerminal(fd: number): void;
  interfaceUp(name: string): void;
  resetSignals(): void;
  clearFdFlags(fd: number): void;
  /** Blocking reads, close-on-exec kept (the stage's control channel). */
  setBlocking(fd: number): void;
  closeRangeCloexec(first: number): void;
  dup2(oldFd: number, newFd: number): void;
  /** Opens a new pty master at `ptmx`, unlocked and sized; returns it and the slave's path. */
  openPty(ptmx: string, size: { rows: number; cols: number }): { master: number; slavePath: string };
  execve(path: string, argv: string[], envp: string[]): never;
  // filesystem, synchronous (libuv's thread pool still sees the old mount namespace)
  kindOf(path: string): PathKind | undefined;
  mkdir(path: string, mode: number): void;
  writeFile(path: string, data: string): void;
  symlink(target: string, path: string): void;
  readlink(path: string): string;
  chown(path: string, uid: number, gid: number): void;
  chmod(path: string, mode: number): void;
  access(path: string, mode: number): boolean;
}

interface Libc {
  unshare: (flags: number) => number;
  setns: (fd: number, nstype: number) => number;
  mount: (src: string | null, target: string, type: string | null, flags: number, data: string | null) => number;
  umount2: (target: string, flags: number) => number;
  chdir: (path: string) => number;
  sethostname: (name: string, len: number) => number;
  setdomainname: (name: string, len: number) => number;
  mknod: (path: string, mode: number, dev: bigint) => number;
  prctl: (option: number, a2: number, a3: number, a4: number, a5: number) => number;
  capset: (header: Buffer, data: Buffer) => number;
  setgroups: (n: number, gids: Uint32Array) => number;
  setresgid: (r: number, e: number, s: number) => number;
  setresuid: (r: number, e: number, s: number) => number;
  prlimit: (pid: number, resource: number, limit: BigUint64Array, old: null) => number;
  setsid: () => number;
  ioctl: (fd: number, request: number, ...typedArgs: unknown[]) => number;
  socket: (domain: number, type: number, protocol: number) => number;
  lsetxattr: (path: string, name: string, value: Buffer, size: number, flags: number) => number;
  lgetxattr: (path: string, name: string, value: Buffer | null, size: number) => number;
  llistxattr: (path: string, list: Buffer | null, size: number) => number;
  close: (fd: number) => number;
  signal: (sig: number, handler: number) => number;
  sigprocmask: (how: number, set: Buffer, old: null) => number;
  fcntl: (fd: number, cmd: number, ...typedArgs: unknown[]) => number;
  close_range: (first: number, last: number, flags: number) => number;
  dup2: (oldFd: number, newFd: number) => number;
  execve: (path: string, argv: (string | null)[], envp: (string | null)[]) => number;
  pipe2: (fds: Int32Array, flags: number) => number;
  syscall: (nr: number, ...typedArgs: unknown[]) => number;
  strerror: (errnum: number) => string;
  waitpid: (pid: number, status: Int32Array, options: number) => number;
  bind: (fd: number, addr: Buffer, len: number) => number;
  send: (fd: number, buf: Buffer, len: number, flags: number) => number;
  recv: (fd: number, buf: Buffer, len: number, flags: number) => number;
  setsockopt: (fd: number, level: number, name: number, value: Buffer, len: number) => number;
}

let cached: Libc | undefined;

/** The libc functions, declared once per process on first use (loading koffi costs a few ms). */
function libc(): Libc {
  if (cached) return cached;
  const lib = koffi.load('libc.so.6');
  const f = (proto: string) => lib.func(proto) as never;
  cached = {
    unshare: f('int unshare(int flags)'),
    setns: f('int setns(int fd, int nstype)'),
    mount: f('int mount(const char *src, const char *target, const char *type, unsigned long flags, const char *data)'),
    umount2: f('int umount2(const char *target, int flags)'),
    chdir: f('int chdir(const char *path)'),
    sethostname: f('int sethostname(const char *name, size_t len)'),
    setdomainname: f('int setdomainname(const char *name, size_t len)'),
    mknod: f('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
    prctl: f('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)'),
    capset: f('int capset(void *header, void *data)'),
    setgroups: f('int setgroups(size_t n, const uint32_t *gids)'),
    setresgid: f('int setresgid(uint32_t r, uint32_t e, uint32_t s)'),
    setresuid: f('int setresuid(uint32_t r, uint32_t e, uint32_t s)'),
    prlimit: f('int prlimit(int pid, int resource, const uint64_t *limit, void *old)'),
    setsid: f('int setsid()'),
    ioctl: f('int ioctl(int fd, unsigned long request, ...)'),
    socket: f('int socket(int domain, int type, int protocol)'),
    lsetxattr: f('int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)'),
    lgetxattr: f('long lgetxattr(const char *path, const char *name, _Out_ void *value, size_t size)'),
    llistxattr: f('long llistxattr(const char *path, _Out_ void *list, size_t size)'),
    close: f('int close(int fd)'),
    signal: f('intptr_t signal(int sig, intptr_t handler)'),
    sigprocmask: f('int sigprocmask(int how, const void *set, void *old)'),
    fcntl: f('int fcntl(int fd, int cmd, ...)'),
    close_range: f('int close_range(unsigned int first, unsigned int last, int flags)'),
    dup2: f('int dup2(int oldfd, int newfd)'),
    execve: f('int execve(const char *path, const char **argv, const char **envp)'),
    pipe2: f('int pipe2(int *fds, int flags)'),
    syscall: f('long syscall(long nr, ...)'),
    strerror: f('const char *strerror(int errnum)'),
    waitpid: f('int waitpid(int pid, int *status, int options)'),
    bind: f('int bind(int fd, const void *addr, uint32_t len)'),
    send: f('long send(int fd, const void *buf, size_t len, int flags)'),
    recv: f('long recv(int fd, void *buf, size_t len, int flags)'),
    setsockopt: f('int setsockopt(int fd, int level, int name, const void *value, uint32_t len)'),
  };
  return cached;
}

let errnoNames: Map<number, string> | undefined;

function errnoName(code: number): string {
  errnoNames ??= new Map(Object.entries(koffi.os.errno).map(([name, num]) => [num, name]));
  return errnoNames.get(code) ?? `errno ${code}`;
}

/** Throws a SyscallError when a libc call returned -1, reading errno right away. */
function check(result: number, syscall: string, detail = ''): number {
  if (result !== -1) return result;
  const code = koffi.errno();
  throw new SyscallError(syscall, errnoName(code), detail, libc().strerror(code));
}

function sysNumbers(): { pivot_root: number; pidfd_open: number; pidfd_getfd: number } {
  const numbers = SYS[process.arch];
  if (!numbers) throw new Error(`unsupported architecture ${process.arch}`);
  return numbers;
}

// ---- wrappers also used by the engine side -------------------------------------------------------

export function unshare(flags: number): void {
  check(libc().unshare(flags), 'unshare');
}

export function setns(fd: number, nstype: number): void {
  check(libc().setns(fd, nstype), 'setns');
}

/** A pipe whose both ends are close-on-exec: [read, write]. */
export function pipe(): [number, number] {
  const fds = new Int32Array(2);
  check(libc().pipe2(fds, 0o2000000), 'pipe2');
  return [fds[0]!, fds[1]!];
}

/** Duplicates file descriptor `targetFd` of process `pid` into this process (pidfd_open + pidfd_getfd). */
export function takeFdFrom(pid: number, targetFd: number): number {
  const nr = sysNumbers();
  const pidfd = check(libc().syscall(nr.pidfd_open, 'int', pid, 'unsigned int', 0), 'pidfd_open', String(pid));
  try {
    return check(libc().syscall(nr.pidfd_getfd, 'int', pidfd, 'int', targetFd, 'unsigned int', 0), 'pidfd_getfd', String(targetFd));
  } finally {
    libc().close(pidfd);
  }
}

export function setWindowSize(fd: number, rows: number, cols: number): void {
  const winsize = new Uint16Array([rows, cols, 0, 0]);
  check(libc().ioctl(fd, TIOCSWINSZ, 'void *', winsize), 'ioctl TIOCSWINSZ');
}

/** Reaps one exited child without blocking (WNOHANG); true when it was reaped. */
export function reapChild(pid: number): boolean {
  return libc().waitpid(pid, new Int32Array(1), 1) > 0;
}

export function closeFd(fd: number): void {
  check(libc().close(fd), 'close');
}

// ---- netlink sockets (src/net/netlink builds and parses the messages) -------------------------------

const AF_NETLINK = 16;
const SOCK_RAW_CLOEXEC = 3 | 0o2000000;
const SOL_SOCKET = 1;
const SO_RCVTIMEO = 20;
const SOL_NETLINK = 270;
const NETLINK_EXT_ACK = 11;

/**
 * A bound NETLINK_ROUTE socket (address chosen by the kernel), with a receive timeout so a lost answer cannot hang
 * the engine, and extended ACKs (the kernel's error text) asked for. It lives in the caller thread's network namespace.
 */
export function netlinkSocket(protocol: number, timeoutMs: number): number {
  const fd = check(libc().socket(AF_NETLINK, SOCK_RAW_CLOEXEC, protocol), 'socket', 'AF_NETLINK');
  try {
    const timeval = Buffer.alloc(16);
    timeval.writeBigInt64LE(BigInt(Math.floor(timeoutMs / 1000)), 0);
    timeval.writeBigInt64LE(BigInt((timeoutMs % 1000) * 1000), 8);
    check(libc().setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16), 'setsockopt SO_RCVTIMEO');
    const one = Buffer.alloc(4);
    one.writeInt32LE(1);
    libc().setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one, 4); // older kernels lack it: the errno alone then
    const address = Buffer.alloc(12);
    address.writeUInt16LE(AF_NETLINK, 0);
    check(libc().bind(fd, address, 12), 'bind', 'AF_NETLINK');
    return fd;
  } catch (e) {
    libc().close(fd);
    throw e;
  }
}

/** Sends one datagram to the kernel (a netlink socket's default destination). */
export function netlinkSend(fd: number, message: Buffer): void {
  check(libc().send(fd, message, message.length, 0), 'sendto', 'netlink');
}

/** Receives one datagram into `into`; returns its length. */
export function netlinkReceive(fd: number, into: Buffer): number {
  return check(libc().recv(fd, into, into.length, 0), 'recvfrom', 'netlink');
}

// ---- the real implementation of Syscalls -----------------------------------------------------------

/** `struct ifreq` for SIOC[GS]IFFLAGS: 16 bytes of name, then the flags as a short. */
function ifreq(name: string): Buffer {
  const buf = Buffer.alloc(40);
  buf.write(name, 0, 15, 'utf8');
  return buf;
}

function setUpFlag(name: string): void {
  const sock = check(libc().socket(AF_INET, SOCK_DGRAM, 0), 'socket');
  try {
    const req = ifreq(name);
    check(libc().ioctl(sock, SIOCGIFFLAGS, 'void *', req), 'ioctl SIOCGIFFLAGS', name);
    req.writeInt16LE(req.readInt16LE(16) | IFF_UP, 16);
    check(libc().ioctl(sock, SIOCSIFFLAGS, 'void *', req), 'ioctl SIOCSIFFLAGS', name);
  } finally {
    libc().close(sock);
  }
}

function openPty(ptmx: string, size: { rows: number; cols: number }): { master: number; slavePath: string } {
  const master = fs.openSync(ptmx, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  const value = new Int32Array(1);
  check(libc().ioctl(master, TIOCSPTLCK, 'void *', value), 'ioctl TIOCSPTLCK');
  check(libc().ioctl(master, TIOCGPTN, 'void *', value), 'ioctl TIOCGPTN');
  setWindowSize(master, size.rows, size.cols);
  return { master, slavePath: `${ptmx.slice(0, ptmx.lastIndexOf('/'))}/pts/${value[0]}` };
}

/** capset with _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
function capset(effective: bigint, permitted: bigint, inheritable: bigint): void {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x20080522, 0);
  const data = Buffer.alloc(24);
  const sets = [effective, permitted, inheritable];
  for (let word = 0; word < 2; word++) {
    sets.forEach((set, i) => data.writeUInt32LE(Number((set >> BigInt(32 * word)) & 0xffffffffn), word * 12 + i * 4));
  }
  check(libc().capset(header, data), 'capset');
}

function kindOf(path: string): PathKind | undefined {
  try {
    const st = fs.lstatSync(path);
    if (st.isDirectory()) return 'dir';
    if (st.isFile()) return 'file';
    if (st.isSymbolicLink()) return 'symlink';
    return 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

export const realSyscalls: Syscalls = {
  unshare,
  setns,
  open: (path, flags) => fs.openSync(path, flags),
  close: (fd) => fs.closeSync(fd),
  mount: (source, target, fstype, flags, data) => void check(libc().mount(source, target, fstype, flags, data), 'mount', target),
  umount2: (target, flags) => void check(libc().umount2(target, flags), 'umount2', target),
  pivotRoot: (newRoot, putOld) => void check(libc().syscall(sysNumbers().pivot_root, 'const char *', newRoot, 'const char *', putOld), 'pivot_root'),
  chdir: (path) => void check(libc().chdir(path), 'chdir', path),
  sethostname: (name) => void check(libc().sethostname(name, Buffer.byteLength(name)), 'sethostname'),
  setdomainname: (name) => void check(libc().setdomainname(name, Buffer.byteLength(name)), 'setdomainname'),
  mknod: (path, mode, major, minor) => void check(libc().mknod(path, mode, makedev(major, minor)), 'mknod', path),
  prctl: (option, arg2, arg3 = 0) => void check(libc().prctl(option, arg2, arg3, 0, 0), 'prctl'),
  capset,
  setgroups: (gids) => void check(libc().setgroups(gids.length, new Uint32Array(gids)), 'setgroups'),
  setresgid: (gid) => void check(libc().setresgid(gid, gid, gid), 'setresgid'),
  setresuid: (uid) => void check(libc().setresuid(uid, uid, uid), 'setresuid'),
  setrlimit: (resource, soft, hard) => void check(libc().prlimit(0, resource, new BigUint64Array([soft, hard]), null), 'prlimit'),
  setsid: () => void check(libc().setsid(), 'setsid'),
  setControllingTerminal: (fd) => void check(libc().ioctl(fd, TIOCSCTTY, 'int', 0), 'ioctl TIOCSCTTY'),
  interfaceUp: setUpFlag,
  resetSignals: () => {
    // SIG_DFL for every signal (glibc refuses its two internal ones, 32 and 33, and KILL/STOP: ignore those)
    for (let sig = 1; sig <= 64; sig++) libc().signal(sig, 0);
    check(libc().sigprocmask(SIG_SETMASK, Buffer.alloc(128), null), 'sigprocmask');
  },
  clearFdFlags: (fd) => {
    check(libc().fcntl(fd, F_SETFD, 'int', 0), 'fcntl F_SETFD', String(fd));
    const flags = check(libc().fcntl(fd, F_GETFL), 'fcntl F_GETFL', String(fd));
    if (flags & O_NONBLOCK) check(libc().fcntl(fd, F_SETFL, 'int', flags & ~O_NONBLOCK), 'fcntl F_SETFL', String(fd));
  },
  setBlocking: (fd) => {
    const flags = check(libc().fcntl(fd, F_GETFL), 'fcntl F_GETFL', String(fd));
    if (flags & O_NONBLOCK) check(libc().fcntl(fd, F_SETFL, 'int', flags & ~O_NONBLOCK), 'fcntl F_SETFL', String(fd));
  },
  closeRangeCloexec: (first) => void check(libc().close_range(first, 0xffffffff, 4), 'close_range'),
  dup2: (oldFd, newFd) => void check(libc().dup2(oldFd, newFd), 'dup2'),
  openPty,
  execve: (path, argv, envp) => {
    check(libc().execve(path, [...argv, null], [...envp, null]), 'exec', path);
    throw new Error('execve returned');
  },
  kindOf,
  mkdir: (path, mode) => fs.mkdirSync(path, { mode }),
  writeFile: (path, data) => fs.writeFileSync(path, data),
  symlink: (target, path) => fs.symlinkSync(target, path),
  readlink: (path) => fs.readlinkSync(path),
  chown: (path, uid, gid) => fs.chownSync(path, uid, gid),
  chmod: (path, mode) => fs.chmodSync(path, mode),
  access: (path, mode) => {
    try {
      fs.accessSync(path, mode);
      return true;
    } catch {
      return false;
    }
  },
};

// ---- Files the engine writes for the image store, volume copy-up and the archive API: device nodes (overlay
// whiteouts included) and extended attributes (overlay's opaque marker). Errors are Node-style (`code`). ----

export { S_IFCHR } from './linux.js';
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;

function fileError(call: string, path: string): NodeJS.ErrnoException {
  const errno = koffi.errno();
  const code = errnoName(errno);
  const error: NodeJS.ErrnoException = new Error(`${call} ${path}: ${code}`);
  Object.assign(error, { code, errno, path });
  return error;
}

/** mknod(2); `type` is S_IFCHR, S_IFBLK or S_IFIFO, `mode` the permission bits. */
export function mknod(path: string, type: number, mode: number, major = 0, minor = 0): void {
  if (libc().mknod(path, type | (mode & 0o7777), makedev(major, minor)) !== 0) throw fileError('mknod', path);
}

/** Sets an extended attribute on the path itself (not a symlink's target). */
export function lsetxattr(path: string, name: string, value: string | Buffer): void {
  const data = typeof value === 'string' ? Buffer.from(value) : value;
  if (libc().lsetxattr(path, name, data, data.length, 0) !== 0) throw fileError('lsetxattr', path);
}

/** The attribute's value, or undefined when the path has no such attribute. */
export function lgetxattr(path: string, name: string): Buffer | undefined {
  const buffer = Buffer.alloc(4096);
  const length = libc().lgetxattr(path, name, buffer, buffer.length);
  if (length >= 0) return buffer.subarray(0, length);
  const error = fileError('lgetxattr', path);
  if (error.code === 'ENODATA') return undefined;
  throw error;
}

/** The names of the path's own extended attributes (not a symlink's target's); [] where xattrs are unsupported. */
export function llistxattr(path: string): string[] {
  for (let size = 4096; ; size *= 4) {
    const buffer = Buffer.alloc(size);
    const length = libc().llistxattr(path, buffer, buffer.length);
    if (length >= 0) return buffer.subarray(0, length).toString('utf8').split('\0').filter((name) => name !== '');
    const error = fileError('llistxattr', path);
    if (error.code === 'ENOTSUP' || error.code === 'EOPNOTSUPP') return [];
    if (error.code !== 'ERANGE' || size >= 1 << 20) throw error;
  }
}
