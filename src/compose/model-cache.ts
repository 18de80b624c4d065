/**
 * Loaded projects kept between commands. `ps`, `logs`, `exec` and friends load the same compose files again and
 * again, and parsing, validating and normalizing them is most of such a command's own work. An entry is found by
 * everything a load depends on besides files (the loader's options, the whole environment, the running code) and
 * used only while every file fact the load recorded still holds; the load's warnings are replayed. Failed loads,
 * loads from stdin and loads during which a file changed are not kept.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { STDIN_FILE } from './discovery.js';
import { projectEnvironment } from './environment.js';
import { factsHold, recordFileFacts, type FileFact } from './file-facts.js';
import type { LoadedProject, LoadOptions } from './loader.js';

export interface ModelCache {
  dir: string;
  /** Changes whenever the code that loads projects does (a rebuilt CLI must not read an older one's entries). */
  codeStamp: string;
  /** Entries kept; the oldest go first. */
  maxEntries?: number;
}

/** What an entry holds: the project without its functions, and what the load depended on and said. */
interface Entry {
  /** sha256 of the key (the key holds the environment, which is not written anywhere). */
  keyDigest: string;
  facts: FileFact[];
  warnings: string[];
  project: Omit<LoadedProject, 'environment'> & { environmentFromFiles: ReadonlyMap<string, string> };
}

const DEFAULT_MAX_ENTRIES = 64;

/** The project an earlier command loaded with these options, if nothing it depended on has changed since. */
export function cachedProject(opts: LoadOptions, cache: ModelCache): LoadedProject | undefined {
  const place = entryPlace(opts, cache);
  const hit = place && readEntry(place.file, place.keyDigest);
  if (!hit) return undefined;
  for (const warning of hit.warnings) opts.warn(warning);
  const { environmentFromFiles, ...project } = hit.project;
  return { ...project, environment: projectEnvironment(opts.osEnv, environmentFromFiles) };
}

/** `load(opts)`, kept for the next command when the load can be kept. */
export function loadAndCache(opts: LoadOptions, cache: ModelCache, load: (opts: LoadOptions) => LoadedProject): LoadedProject {
  const place = entryPlace(opts, cache);
  if (!place) return load(opts);
  const warnings: string[] = [];
  const recorded = recordFileFacts(() => load({ ...opts, warn: (message) => (warnings.push(message), opts.warn(message)) }));
  if (recorded.stable) {
    const { environment, ...project } = recorded.result;
    writeEntry(cache, place.file, { keyDigest: place.keyDigest, facts: recorded.facts, warnings, project: { ...project, environmentFromFiles: environment.fromFiles } });
  }
  return recorded.result;
}

/** Where the entry for these options lives; none for a load from stdin (there is nothing to check it against). */
function entryPlace(opts: LoadOptions, cache: ModelCache): { file: string; keyDigest: string } | undefined {
  if (opts.files.includes(STDIN_FILE)) return undefined;
  const keyDigest = createHash('sha256').update(cacheKey(opts, cache.codeStamp)).digest('hex');
  return { file: join(cache.dir, `${keyDigest.slice(0, 32)}.bin`), keyDigest };
}

function cacheKey(opts: LoadOptions, codeStamp: string): string {
  const { osEnv, readStdin: _readStdin, warn: _warn, ...plain } = opts;
  const env = Object.entries(osEnv).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([codeStamp, plain, env]);
}

function readEntry(file: string, keyDigest: string): Entry | undefined {
  let entry: Entry;
  try {
    entry = deserialize(readFileSync(file)) as Entry;
  } catch {
    return undefined; // none yet, or unreadable: loaded afresh (and rewritten)
  }
  return entry.keyDigest === keyDigest && factsHold(entry.facts) ? entry : undefined;
}

/** Atomically (a temp file renamed), then trims the cache; a cache that cannot be written is simply not used. */
function writeEntry(cache: ModelCache, file: string, entry: Entry): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, serialize(entry), { mode: 0o600 });
    renameSync(temp, file);
    trim(cache.dir, cache.maxEntries ?? DEFAULT_MAX_ENTRIES);
  } catch {
    rmSync(temp, { force: true });
  }
}

function trim(dir: string, maxEntries: number): void {
  const entries = readdirSync(dir).filter((name) => name.endsWith('.bin'));
  if (entries.length <= maxEntries) return;
  const byAge = entries.map((name) => ({ name, mtime: statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 })).sort((a, b) => a.mtime - b.mtime);
  for (const { name } of byAge.slice(0, entries.length - maxEntries)) rmSync(join(dir, name), { force: true });
}
