/**
 * The loader's window on the filesystem. Every read and existence check of a project load goes through here, and
 * while a load is being recorded (`recordFileFacts`), each one is noted with what it found: a load's result holds
 * as long as every fact still does (`factsHold`), which is what lets the model cache skip the load.
 */
import { readFileSync, statSync } from 'node:fs';

/** What a path was when the loader looked: its kind, and for a file read, its identity, size and times. */
export interface FileFact {
  path: string;
  seen: string;
}

interface Recording {
  facts: FileFact[];
  /** A file changed while it was read: what was read may match neither stamp, so the load is not cacheable. */
  unstable: boolean;
}

let recording: Recording | undefined;

/** Runs a (synchronous) load, noting every file fact it depended on. */
export function recordFileFacts<T>(load: () => T): { result: T; facts: FileFact[]; stable: boolean } {
  const outer = recording;
  const mine: Recording = { facts: [], unstable: false };
  recording = mine;
  try {
    const result = load();
    return { result, facts: mine.facts, stable: !mine.unstable };
  } finally {
    recording = outer;
  }
}

/** True while every fact still holds. */
export function factsHold(facts: readonly FileFact[]): boolean {
  return facts.every((fact) => (fact.seen.startsWith('file:') ? contentStamp(fact.path) : kindOf(fact.path)) === fact.seen);
}

export function readTextFile(path: string): string {
  if (!recording) return readFileSync(path, 'utf8');
  const before = contentStamp(path);
  const text = readFileSync(path, 'utf8');
  const after = contentStamp(path);
  if (before !== after) recording.unstable = true;
  recording.facts.push({ path, seen: after });
  return text;
}

export function pathExists(path: string): boolean {
  return note(path, kindOf(path)) !== 'missing';
}

export function isRegularFile(path: string): boolean {
  return note(path, kindOf(path)) === 'file';
}

function note(path: string, seen: string): string {
  recording?.facts.push({ path, seen });
  return seen;
}

function kindOf(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 'missing';
  return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other';
}

/** A regular file's identity and version (inode, size, nanosecond mtime and ctime); anything else: its kind. */
function contentStamp(path: string): string {
  const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (!stat) return 'missing';
  if (!stat.isFile()) return kindOf(path);
  return `file:${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}
