/** Small synchronous helpers over cgroupfs files, plus the async waits the lifecycle needs. */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InternalError, UserError } from '../../errors.js';

/** errno codes by which the kernel rejects a value (not our bug: the user asked for something impossible). */
const REJECTED_VALUE = new Set(['EINVAL', 'ERANGE', 'EBUSY', 'EOVERFLOW', 'ENOSPC']);

export function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Writes one value; the kernel's refusal of a limit becomes a UserError naming the file. */
export function writeValue(dir: string, file: string, value: string | number): void {
  const path = join(dir, file);
  try {
    writeFileSync(path, String(value));
  } catch (e) {
    const code = errnoOf(e);
    if (code && REJECTED_VALUE.has(code)) {
      throw new UserError(`cgroup: the kernel refused ${file} = ${value} (${code})`);
    }
    throw new InternalError(`cgroup: cannot write ${value} to ${path}: ${String(e)}`, { cause: e });
  }
}

/** The file's content without the trailing newline, or undefined when it does not exist. */
export function readText(dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), 'utf8').trim();
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENODEV') return undefined;
    throw new InternalError(`cgroup: cannot read ${join(dir, file)}: ${String(e)}`, { cause: e });
  }
}

/** Values at or above 2^53 are the kernel's "unlimited" (PAGE_COUNTER_MAX and friends). */
const UNLIMITED_FLOOR = 2 ** 53;

/** A single number; undefined for a missing file, "max" or an unlimited value. */
export function readNumber(dir: string, file: string): number | undefined {
  const text = readText(dir, file);
  if (text === undefined || text === '' || text === 'max') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n < UNLIMITED_FLOOR ? n : undefined;
}

/** "key value" lines (memory.events, cpu.stat, memory.oom_control) as a map. */
export function readKeyed(dir: string, file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of (readText(dir, file) ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined) out.set(key, Number(value));
  }
  return out;
}

/** PIDs listed in a cgroup.procs file (empty when the cgroup is gone). */
export function readPids(dir: string): number[] {
  const text = readText(dir, 'cgroup.procs') ?? '';
  return text === '' ? [] : text.split('\n').map(Number);
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Creates `base/rel` one level at a time, calling `onLevel` for each level (new or not) from the top. */
export function makePath(base: string, rel: string, onLevel?: (dir: string, parentDir: string) => void): string {
  let dir = base;
  for (const segment of rel.split('/')) {
    const parentDir = dir;
    dir = join(dir, segment);
    try {
      mkdirSync(dir);
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw new InternalError(`cgroup: cannot create ${dir}: ${String(e)}`, { cause: e });
    }
    onLevel?.(dir, parentDir);
  }
  return dir;
}

/** Child directory names (cgroups) of `dir`; none when it does not exist. */
export function childDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
}

/** rmdir that tolerates "already gone" and retries while the kernel still reports the cgroup busy. */
export async function removeCgroupDir(dir: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      rmdirSync(dir);
      return;
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'ENOENT') return;
      // A cgroup whose last task just exited stays busy for a moment.
      if (code !== 'EBUSY' || Date.now() > deadline) {
        throw new InternalError(`cgroup: cannot remove ${dir}: ${String(e)}`, { cause: e });
      }
    }
    await sleep(10);
  }
}

/** rmdir when possible; a missing, non-empty or busy directory is left alone. */
export function removeDirIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch (e) {
    const code = errnoOf(e);
    if (code !== 'ENOENT' && code !== 'EBUSY' && code !== 'ENOTEMPTY') {
      throw new InternalError(`cgroup: cannot remove ${dir}: ${String(e)}`, { cause: e });
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `done` (with a growing interval) until it holds; InternalError naming `what` after the timeout. */
export async function waitUntil(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let interval = 1;
  while (!done()) {
    if (Date.now() > deadline) throw new InternalError(`cgroup: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(interval);
    interval = Math.min(interval * 2, 50);
  }
}

/** Sends `signal` to each PID; a process that is already gone is fine. */
export function signalEach(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (e) {
      if (errnoOf(e) !== 'ESRCH') throw new InternalError(`cgroup: cannot signal ${pid}: ${String(e)}`, { cause: e });
    }
  }
}

/** Container ids and parent paths become directory names: keep them to plain path segments. */
export function checkSegments(path: string, what: string): void {
  const ok = path.split('/').every((s) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(s));
  if (!ok) throw new InternalError(`cgroup: ${what} ${JSON.stringify(path)} is not a plain relative path`);
}

/** PIDs of `dir` and of any cgroups nested below it (a container with its own cgroup namespace may make some). */
export function treePids(dir: string): number[] {
  return [...readPids(dir), ...childDirs(dir).flatMap((child) => treePids(join(dir, child)))];
}

/** Removes a cgroup and the cgroups nested in it, deepest first. */
export async function removeCgroupTree(dir: string): Promise<void> {
  for (const child of childDirs(dir)) await removeCgroupTree(join(dir, child));
  await removeCgroupDir(dir);
}
