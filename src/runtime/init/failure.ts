/** Turns anything thrown before execve into the StartFailure the engine reports (Docker's exit codes). */
import type { StartFailure } from '../spec.js';
import { SyscallError } from '../syscalls.js';
import { LookupFailure } from './lookup.js';

export function toStartFailure(err: unknown): StartFailure {
  if (err instanceof LookupFailure) return err.failure;
  if (err instanceof SyscallError) {
    const exitCode = err.syscall !== 'exec' ? 125 : err.errno === 'EACCES' ? 126 : err.errno === 'ENOENT' ? 127 : 125;
    return { stage: err.syscall, errno: err.errno, message: err.message, exitCode };
  }
  const e = err as NodeJS.ErrnoException;
  const errno = typeof e?.code === 'string' ? e.code : undefined;
  return { stage: e?.syscall ?? 'init', ...(errno ? { errno } : {}), message: e?.message ?? String(err), exitCode: 125 };
}
