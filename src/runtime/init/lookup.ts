/** PATH lookup inside the new root, done by us so that "not found" is reported rather than a silent exit. */
import type { StartFailure } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import { DEFAULT_PATH_ENV } from '../defaults.js';

const X_OK = 1;

export class LookupFailure extends Error {
  constructor(readonly failure: StartFailure) {
    super(failure.message);
  }
}

function searchPath(env: string[]): string[] {
  const entry = [...env].reverse().find((e) => e.startsWith('PATH=')) ?? DEFAULT_PATH_ENV;
  return entry.slice('PATH='.length).split(':').map((d) => d || '.');
}

/** The file to execve for argv[0], with Docker's wording and exit codes when there is none. */
export function findExecutable(sys: Syscalls, name: string, env: string[]): string {
  if (name.includes('/')) {
    const kind = sys.kindOf(name);
    if (kind === undefined) throw notFound(name, `exec: "${name}": stat ${name}: no such file or directory`, 'ENOENT');
    if (kind === 'dir' || !sys.access(name, X_OK)) throw denied(name);
    return name;
  }
  for (const dir of searchPath(env)) {
    const candidate = `${dir}/${name}`;
    const kind = sys.kindOf(candidate);
    if (kind !== undefined && kind !== 'dir' && sys.access(candidate, X_OK)) return candidate;
  }
  throw notFound(name, `exec: "${name}": executable file not found in $PATH`, 'ENOENT');
}

function notFound(_name: string, message: string, errno: string): LookupFailure {
  return new LookupFailure({ stage: 'exec', errno, message, exitCode: 127 });
}

function denied(name: string): LookupFailure {
  return new LookupFailure({ stage: 'exec', errno: 'EACCES', message: `exec: "${name}": permission denied`, exitCode: 126 });
}
