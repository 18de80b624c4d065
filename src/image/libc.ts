/**
 * The few libc calls the image store needs that Node lacks: mknod (overlay whiteouts, device nodes in
 * layers) and extended attributes (overlay's opaque-directory marker). Loaded on first use.
 */
import koffi from 'koffi';
import { constants as os } from 'node:os';

interface Libc {
  mknod: (path: string, mode: number, dev: bigint) => number;
  lsetxattr: (path: string, name: string, value: Buffer, size: number, flags: number) => number;
  lgetxattr: (path: string, name: string, value: Buffer | null, size: number) => number;
}

let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  libc = {
    mknod: lib.func('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
    lsetxattr: lib.func('int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)'),
    lgetxattr: lib.func('long lgetxattr(const char *path, const char *name, _Out_ void *value, size_t size)'),
  } as Libc;
  return libc;
}

export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;

/** An errno as a Node-style error (code "ENOENT" etc.) naming the call and path. */
function errnoError(call: string, path: string): NodeJS.ErrnoException {
  const errno = koffi.errno();
  const code = Object.entries(os.errno).find(([, n]) => n === errno)?.[0] ?? `errno ${errno}`;
  const error: NodeJS.ErrnoException = new Error(`${call} ${path}: ${code}`);
  error.code = code;
  error.errno = errno;
  error.path = path;
  return error;
}

/** Linux's makedev: the encoding glibc uses for dev_t. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffn) << 8n) | ((ma & ~0xfffn) << 32n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n);
}

/** mknod(2); `type` is S_IFCHR, S_IFBLK or S_IFIFO, `mode` the permission bits. */
export function mknod(path: string, type: number, mode: number, major = 0, minor = 0): void {
  if (load().mknod(path, type | (mode & 0o7777), makedev(major, minor)) !== 0) throw errnoError('mknod', path);
}

/** Sets an extended attribute on the path itself (not a symlink's target). */
export function lsetxattr(path: string, name: string, value: string | Buffer): void {
  const data = typeof value === 'string' ? Buffer.from(value) : value;
  if (load().lsetxattr(path, name, data, data.length, 0) !== 0) throw errnoError('lsetxattr', path);
}

/** The attribute's value, or undefined when the path has no such attribute. */
export function lgetxattr(path: string, name: string): Buffer | undefined {
  const buffer = Buffer.alloc(4096);
  const length = load().lgetxattr(path, name, buffer, buffer.length);
  if (length >= 0) return buffer.subarray(0, length);
  const error = errnoError('lgetxattr', path);
  if (error.code === 'ENODATA') return undefined;
  throw error;
}
