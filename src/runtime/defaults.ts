/** What every Docker container gets unless told otherwise (moby oci/defaults.go and runc's libcontainer). */
import { MS } from './linux.js';

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Hidden from the container: directories get an empty read-only tmpfs, files /dev/null. */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];

export const DEFAULT_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** Character devices created in the container's /dev (mode 0666, owned by root). */
export const DEFAULT_DEVICES: readonly { path: string; major: number; minor: number }[] = [
  { path: '/dev/null', major: 1, minor: 3 },
  { path: '/dev/zero', major: 1, minor: 5 },
  { path: '/dev/full', major: 1, minor: 7 },
  { path: '/dev/random', major: 1, minor: 8 },
  { path: '/dev/urandom', major: 1, minor: 9 },
  { path: '/dev/tty', major: 5, minor: 0 },
];

export const DEFAULT_DEV_SYMLINKS: readonly { path: string; target: string }[] = [
  { path: '/dev/fd', target: '/proc/self/fd' },
  { path: '/dev/stdin', target: '/proc/self/fd/0' },
  { path: '/dev/stdout', target: '/proc/self/fd/1' },
  { path: '/dev/stderr', target: '/proc/self/fd/2' },
  { path: '/dev/core', target: '/proc/kcore' },
  { path: '/dev/ptmx', target: 'pts/ptmx' },
];

export interface StandardMount {
  target: string;
  fstype: string;
  source: string;
  flags: number;
  data: string | null;
}

const NOSUID_NOEXEC_NODEV = MS.NOSUID | MS.NOEXEC | MS.NODEV;

/** The standard mounts below the rootfs, in mounting order (/proc comes separately: it must be mounted last-ish). */
export function standardMounts(opts: { readOnlySys: boolean }): StandardMount[] {
  return [
    { target: '/dev', fstype: 'tmpfs', source: 'tmpfs', flags: MS.NOSUID | MS.STRICTATIME, data: 'mode=755,size=65536k' },
    { target: '/dev/pts', fstype: 'devpts', source: 'devpts', flags: MS.NOSUID | MS.NOEXEC, data: 'newinstance,ptmxmode=0666,mode=0620,gid=5' },
    { target: '/dev/shm', fstype: 'tmpfs', source: 'shm', flags: NOSUID_NOEXEC_NODEV, data: 'mode=1777,size=65536k' },
    { target: '/dev/mqueue', fstype: 'mqueue', source: 'mqueue', flags: NOSUID_NOEXEC_NODEV, data: null },
    { target: '/sys', fstype: 'sysfs', source: 'sysfs', flags: NOSUID_NOEXEC_NODEV | (opts.readOnlySys ? MS.RDONLY : 0), data: null },
  ];
}

export const PROC_MOUNT: StandardMount = { target: '/proc', fstype: 'proc', source: 'proc', flags: NOSUID_NOEXEC_NODEV, data: null };

/** The environment Docker starts from: PATH when the image sets none, HOSTNAME, HOME of the user. */
export function withDefaultEnv(env: string[], opts: { hostname: string; home?: string; terminal: boolean }): string[] {
  const has = (key: string) => env.some((e) => e.startsWith(`${key}=`));
  const out = [...env];
  if (!has('PATH')) out.unshift(DEFAULT_PATH_ENV);
  if (!has('HOSTNAME')) out.push(`HOSTNAME=${opts.hostname}`);
  if (opts.terminal && !has('TERM')) out.push('TERM=xterm');
  if (opts.home !== undefined && !has('HOME')) out.push(`HOME=${opts.home}`);
  return out;
}
