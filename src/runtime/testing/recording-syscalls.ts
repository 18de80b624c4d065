/**
 * A fake `Syscalls` that records every call as one readable line ("mount overlay /r overlay ...") over an
 * in-memory file tree, so the init stage's order can be asserted without root.
 */
import { posix } from 'node:path';
import type { PathKind, Syscalls } from '../syscalls.js';

export class RecordingSyscalls implements Syscalls {
  readonly calls: string[] = [];
  /** path → kind; parents of listed paths count as directories. */
  readonly tree = new Map<string, PathKind>([['/', 'dir']]);
  readonly links = new Map<string, string>();
  private nextFd = 10;
  private cwd = '/';

  constructor(files: Record<string, PathKind> = {}) {
    for (const [path, kind] of Object.entries(files)) this.add(path, kind);
  }

  add(path: string, kind: PathKind): void {
    for (let d = posix.dirname(path); d !== '/'; d = posix.dirname(d)) this.tree.set(d, 'dir');
    this.tree.set(path, kind);
  }

  private record(line: string): void {
    this.calls.push(line);
  }

  unshare(flags: number): void { this.record(`unshare 0x${flags.toString(16)}`); }
  setns(fd: number, nstype: number): void { this.record(`setns ${fd} 0x${nstype.toString(16)}`); }
  open(path: string): number { this.record(`open ${path}`); return this.nextFd++; }
  close(fd: number): void { this.record(`close ${fd}`); }
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void {
    this.record(`mount ${source ?? '-'} ${target} ${fstype ?? '-'} 0x${flags.toString(16)} ${data ?? '-'}`);
  }
  umount2(target: string, flags: number): void { this.record(`umount2 ${target} ${flags}`); }
  pivotRoot(newRoot: string, putOld: string): void {
    this.record(`pivot_root ${newRoot} ${putOld}`);
    this.reRoot(posix.resolve(this.cwd, newRoot));
  }
  chdir(path: string): void {
    this.cwd = posix.resolve(this.cwd, path);
    this.record(`chdir ${path}`);
  }

  /** What pivot_root does to the view: paths below the new root become the whole tree. */
  private reRoot(root: string): void {
    const kept = [...this.tree].filter(([p]) => p.startsWith(`${root}/`)).map(([p, k]) => [p.slice(root.length), k] as const);
    this.tree.clear();
    this.tree.set('/', 'dir');
    for (const [p, k] of kept) this.tree.set(p, k);
    this.cwd = '/';
  }
  sethostname(name: string): void { this.record(`sethostname ${name}`); }
  setdomainname(name: string): void { this.record(`setdomainname ${name}`); }
  mknod(path: string, mode: number, major: number, minor: number): void {
    this.add(path, 'other');
    this.record(`mknod ${path} ${mode.toString(8)} ${major}:${minor}`);
  }
  prctl(option: number, arg2: number): void { this.record(`prctl ${option} ${arg2}`); }
  capset(e: bigint, p: bigint, i: bigint): void { this.record(`capset ${e.toString(16)} ${p.toString(16)} ${i.toString(16)}`); }
  setgroups(gids: number[]): void { this.record(`setgroups ${gids.join(',')}`); }
  setresgid(gid: number): void { this.record(`setresgid ${gid}`); }
  setresuid(uid: number): void { this.record(`setresuid ${uid}`); }
  setrlimit(resource: number, soft: bigint, hard: bigint): void { this.record(`setrlimit ${resource} ${soft} ${hard}`); }
  setsid(): void { this.record('setsid'); }
  setControllingTerminal(fd: number): void { this.record(`tiocsctty ${fd}`); }
  interfaceUp(name: string): void { this.record(`ifup ${name}`); }
  resetSignals(): void { this.record('reset-signals'); }
  clearFdFlags(fd: number): void { this.record(`clear-fd-flags ${fd}`); }
  setBlocking(fd: number): void { this.record(`set-blocking ${fd}`); }
  closeRangeCloexec(first: number): void { this.record(`close-range-cloexec ${first}`); }
  dup2(oldFd: number, newFd: number): void { this.record(`dup2 ${oldFd} ${newFd}`); }
  openPty(ptmx: string): { master: number; slavePath: string } {
    this.record(`openpty ${ptmx}`);
    return { master: this.nextFd++, slavePath: '/dev/pts/0' };
  }
  execve(path: string, argv: string[]): never {
    this.record(`execve ${path} ${argv.join(' ')}`);
    throw new ExecCalled(path);
  }
  kindOf(path: string): PathKind | undefined { return this.tree.get(path); }
  mkdir(path: string): void { this.add(path, 'dir'); this.record(`mkdir ${path}`); }
  writeFile(path: string, data: string): void { this.add(path, 'file'); this.record(`write ${path} ${data}`); }
  symlink(target: string, path: string): void { this.add(path, 'symlink'); this.links.set(path, target); this.record(`symlink ${path} -> ${target}`); }
  readlink(path: string): string { return this.links.get(path) ?? ''; }
  chown(path: string, uid: number, gid: number): void { this.record(`chown ${path} ${uid}:${gid}`); }
  chmod(path: string, mode: number): void { this.record(`chmod ${path} ${mode.toString(8)}`); }
  access(path: string): boolean { return this.tree.get(path) === 'file'; }

  /** Index of the first recorded call starting with `prefix` (-1 when none). */
  indexOf(prefix: string): number {
    return this.calls.findIndex((c) => c.startsWith(prefix));
  }
}

/** Thrown by the fake's execve (the real one does not return). */
export class ExecCalled extends Error {
  constructor(readonly path: string) {
    super(`execve ${path}`);
  }
}
