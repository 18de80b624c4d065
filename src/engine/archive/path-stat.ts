/**
 * Docker's `X-Docker-Container-Path-Stat` header: base64 of JSON {name, size, mode, mtime, linkTarget}, where
 * `mode` is a Go `os.FileMode` (type bits high, permission bits low), not a Unix st_mode.
 */
import type { Stats } from 'node:fs';

export const PATH_STAT_HEADER = 'x-docker-container-path-stat';

export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

// Go's os.FileMode bits (io/fs): the values real Docker clients decode.
const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
const GO_DEVICE = 2 ** 26;
const GO_PIPE = 2 ** 25;
const GO_SOCKET = 2 ** 24;
const GO_SETUID = 2 ** 23;
const GO_SETGID = 2 ** 22;
const GO_CHARDEV = 2 ** 21;
const GO_STICKY = 2 ** 20;

/** st_mode → Go FileMode (additions, not `|`: the directory bit does not fit a signed 32-bit int). */
export function goFileMode(st: Stats): number {
  let mode = st.mode & 0o777;
  if (st.isDirectory()) mode += GO_DIR;
  else if (st.isSymbolicLink()) mode += GO_SYMLINK;
  else if (st.isFIFO()) mode += GO_PIPE;
  else if (st.isSocket()) mode += GO_SOCKET;
  else if (st.isCharacterDevice()) mode += GO_DEVICE + GO_CHARDEV;
  else if (st.isBlockDevice()) mode += GO_DEVICE;
  if (st.mode & 0o4000) mode += GO_SETUID;
  if (st.mode & 0o2000) mode += GO_SETGID;
  if (st.mode & 0o1000) mode += GO_STICKY;
  return mode;
}

export function isDirMode(mode: number): boolean {
  return mode >= GO_DIR;
}

export function isSymlinkMode(mode: number): boolean {
  return Math.floor(mode / GO_SYMLINK) % 2 === 1;
}

export function encodePathStat(stat: PathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

export function decodePathStat(header: string | string[] | undefined): PathStat | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as PathStat;
  } catch {
    return undefined;
  }
}
