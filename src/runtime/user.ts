/**
 * Resolves a Compose/Docker `user` ("name", "uid", "uid:gid", "name:group") against the container's own
 * /etc/passwd and /etc/group, read through the overlay's layers (upper first), never the host's.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { UserSpec } from './spec.js';

export interface ResolvedUser extends UserSpec {
  home: string;
}

export interface RootfsLayers {
  upperDir?: string;
  lowerDirs: string[]; // lowest first, as in RootfsSpec
}

interface PasswdEntry { name: string; uid: number; gid: number; home: string }
interface GroupEntry { name: string; gid: number; members: string[] }

/** The content of a file as the overlay would show it, or undefined when absent or whited out. */
export function readFromLayers(layers: RootfsLayers, relPath: string): string | undefined {
  const dirs = [...(layers.upperDir ? [layers.upperDir] : []), ...[...layers.lowerDirs].reverse()];
  for (const dir of dirs) {
    const path = join(dir, relPath);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (st.isCharacterDevice() && st.rdev === 0) return undefined; // overlay whiteout
    return st.isFile() ? readFileSync(path, 'utf8') : undefined;
  }
  return undefined;
}

function parseColonFile(text: string | undefined): string[][] {
  return (text ?? '').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split(':'));
}

export function parsePasswd(text: string | undefined): PasswdEntry[] {
  return parseColonFile(text).map((f) => ({ name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]), home: f[5] || '/' }));
}

export function parseGroup(text: string | undefined): GroupEntry[] {
  return parseColonFile(text).map((f) => ({ name: f[0] ?? '', gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
}

const isNumeric = (s: string) => /^\d+$/.test(s);

function findUser(userPart: string, passwd: PasswdEntry[]): PasswdEntry {
  const byName = passwd.find((p) => p.name === userPart);
  if (byName) return byName;
  if (isNumeric(userPart)) {
    const uid = Number(userPart);
    return passwd.find((p) => p.uid === uid) ?? { name: '', uid, gid: 0, home: '/' };
  }
  throw new UserError(`unable to find user ${userPart}: no matching entries in passwd file`);
}

function findGroup(groupPart: string, groups: GroupEntry[]): number {
  const byName = groups.find((g) => g.name === groupPart);
  if (byName) return byName.gid;
  if (isNumeric(groupPart)) return Number(groupPart);
  throw new UserError(`unable to find group ${groupPart}: no matching entries in group file`);
}

/** `user` as Docker resolves it; `groupAdd` (group_add) names or gids join the supplementary groups. */
export function resolveUser(user: string | undefined, layers: RootfsLayers, groupAdd: string[] = []): ResolvedUser {
  const passwd = parsePasswd(readFromLayers(layers, 'etc/passwd'));
  const groups = parseGroup(readFromLayers(layers, 'etc/group'));
  const [userPart = '', groupPart] = (user ?? '').split(':', 2);
  const entry = findUser(userPart === '' ? '0' : userPart, passwd);
  const gid = groupPart !== undefined && groupPart !== '' ? findGroup(groupPart, groups) : entry.gid;
  const memberOf = groupPart ? [] : groups.filter((g) => entry.name !== '' && g.members.includes(entry.name)).map((g) => g.gid);
  const extra = groupAdd.map((g) => findGroup(g, groups));
  const additionalGids = [...new Set([...memberOf, ...extra])];
  return { uid: entry.uid, gid, additionalGids, home: entry.home };
}
