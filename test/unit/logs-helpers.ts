// Shared by the logs-*.test.ts files: temporary log directories, fake container streams, record reading.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { JsonFileLogWriter, type LogOptions } from '../../src/engine/logs/json-file.js';

export interface LogDir {
  dir: string;
  path: string;
  remove(): Promise<void>;
}

export async function logDir(): Promise<LogDir> {
  const dir = await mkdtemp(join(tmpdir(), 'tsc-logs-'));
  return { dir, path: join(dir, 'container-json.log'), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A writer fed by two fake container pipes. */
export function fakeContainer(path: string, options: LogOptions = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const writer = new JsonFileLogWriter(path, options);
  writer.attach(stdout, 'stdout');
  writer.attach(stderr, 'stderr');
  return {
    stdout,
    stderr,
    writer,
    /** The container exits: its pipes end, then the writer flushes. */
    async exit(): Promise<void> {
      stdout.end();
      stderr.end();
      await writer.close();
    },
  };
}

export interface RawRecord {
  log: string;
  stream: string;
  time: string;
}

export async function recordsOf(file: string): Promise<RawRecord[]> {
  const bytes = file.endsWith('.gz') ? gunzipSync(await readFile(file)) : await readFile(file);
  return bytes.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RawRecord);
}

export async function logFileNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export function tick(ms = 0): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
