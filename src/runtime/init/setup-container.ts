/**
 * The init stage's work, in the order measured to work (see DESIGN.md "Starting a container"):
 * namespaces → private / → overlay → /proc /dev /sys /sys/fs/cgroup → etc files → spec mounts → sysctls → masked and
 * read-only paths → cwd → pivot_root → terminal → rlimits, privileges, chdir → executable lookup.
 */
import type { ContainerSpec } from '../spec.js';
import type { Syscalls } from '../syscalls.js';
import type { TerminalSize } from './protocol.js';
import { enterNamespaces } from './namespaces.js';
import { mountRootfs, pivotInto } from './rootfs.js';
import { mountDevAndSys, mountProc } from './standard-mounts.js';
import { mountEtcFiles, mountSpecMounts } from './spec-mounts.js';
import { makeReadOnly, maskPaths, writeSysctls } from './proc-paths.js';
import { preparePayload } from './exec-payload.js';
import { mkdirInRoot } from './path-in-root.js';
import { mountCgroupFs, type CgroupLayout } from './cgroup-mount.js';

export interface SetupOptions {
  lastCap: number; // highest capability the kernel knows (/proc/sys/kernel/cap_last_cap)
  cgroups?: CgroupLayout; // mount /sys/fs/cgroup with these hierarchies (read from our /proc/self/cgroup)
  terminal?: TerminalSize;
  attachTerminal: (sys: Syscalls, size: TerminalSize, owner: { uid: number; gid: number }) => void;
}

/** Builds the container around the calling process; returns the executable to run (the caller execs it). */
export function setupContainer(sys: Syscalls, spec: ContainerSpec, opts: SetupOptions): string {
  enterNamespaces(sys, spec);
  const root = mountRootfs(sys, spec.rootfs);
  buildTree(sys, root, spec, opts.cgroups);
  pivotInto(sys, root, spec.rootfs.readOnly);
  if (opts.terminal) opts.attachTerminal(sys, opts.terminal, spec.process.user);
  return preparePayload(sys, spec.process, opts.lastCap);
}

function buildTree(sys: Syscalls, root: string, spec: ContainerSpec, cgroups: CgroupLayout | undefined): void {
  mountProc(sys, root);
  mountDevAndSys(sys, root, { readOnlySys: !spec.privileged });
  if (cgroups) mountCgroupFs(sys, root, cgroups, !spec.privileged);
  mountEtcFiles(sys, root, spec.etcFiles);
  mountSpecMounts(sys, root, spec.mounts);
  writeSysctls(sys, root, spec.sysctls);
  maskPaths(sys, root, spec.maskedPaths);
  makeReadOnly(sys, root, spec.readonlyPaths);
  mkdirInRoot(sys, root, spec.process.cwd); // as Docker: a missing working directory is created (before a read-only remount)
}
