import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../util/atomic-write.js';
import { conflict, notFound } from '../api/http.js';
import type { ContainerRecord } from './record.js';

const RECORD_FILE = 'container.json';

/** Container records on disk, one folder each, with a name index; every change is written atomically. */
export class ContainerStore {
  private readonly records = new Map<string, ContainerRecord>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Reads every record (engine start); a folder without a readable record is a half-created container: removed. */
  load(): ContainerRecord[] {
    for (const id of readdirSync(this.dir)) {
      const file = join(this.dir, id, RECORD_FILE);
      try {
        this.records.set(id, JSON.parse(readFileSync(file, 'utf8')) as ContainerRecord);
      } catch {
        rmSync(join(this.dir, id), { recursive: true, force: true });
      }
    }
    return this.all();
  }

  folderOf(id: string): string {
    return join(this.dir, id);
  }

  all(): ContainerRecord[] {
    return [...this.records.values()].sort((a, b) => (a.created < b.created ? 1 : -1));
  }

  add(record: ContainerRecord): void {
    if (this.byName(record.name)) {
      throw conflict(`Conflict. The container name "/${record.name}" is already in use by container "${this.byName(record.name)!.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
    mkdirSync(this.folderOf(record.id), { recursive: true });
    this.records.set(record.id, record);
    this.save(record);
  }

  save(record: ContainerRecord): void {
    if (!existsSync(this.folderOf(record.id))) return; // removed meanwhile
    writeJsonAtomic(join(this.folderOf(record.id), RECORD_FILE), record);
  }

  delete(id: string): void {
    this.records.delete(id);
    rmSync(this.folderOf(id), { recursive: true, force: true });
  }

  byName(name: string): ContainerRecord | undefined {
    const bare = name.replace(/^\//, '');
    for (const r of this.records.values()) if (r.name === bare) return r;
    return undefined;
  }

  /** Docker's lookup: full id, then exact name, then a unique id prefix. */
  find(ref: string): ContainerRecord | undefined {
    const exact = this.records.get(ref) ?? this.byName(ref);
    if (exact) return exact;
    const matches = [...this.records.values()].filter((r) => r.id.startsWith(ref));
    if (matches.length > 1) throw conflict(`multiple IDs found with provided prefix: ${ref}`);
    return matches[0];
  }

  get(ref: string): ContainerRecord {
    const record = this.find(ref);
    if (!record) throw notFound(`No such container: ${ref}`);
    return record;
  }
}
