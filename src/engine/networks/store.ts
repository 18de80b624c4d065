import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../util/atomic-write.js';
import { notFound } from '../api/http.js';
import type { NetworkRecord } from './record.js';
import { compareText } from '../../util/compare-text.js';

/** Networks on disk, one JSON file each, kept in memory too; lookups by name, full id or unique id prefix. */
export class NetworkStore {
  private readonly byId = new Map<string, NetworkRecord>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as NetworkRecord;
      this.byId.set(record.Id, record);
    }
  }

  all(): NetworkRecord[] {
    return [...this.byId.values()].sort((a, b) => compareText(a.Created, b.Created));
  }

  /** Docker's lookup order: full id, exact name, then id prefix (ambiguous prefix = not found). */
  find(ref: string): NetworkRecord | undefined {
    const byId = this.byId.get(ref);
    if (byId) return byId;
    const byName = this.all().find((n) => n.Name === ref);
    if (byName) return byName;
    const prefixed = ref.length > 0 ? this.all().filter((n) => n.Id.startsWith(ref)) : [];
    return prefixed.length === 1 ? prefixed[0] : undefined;
  }

  get(ref: string): NetworkRecord {
    const found = this.find(ref);
    if (!found) throw notFound(`network ${ref} not found`);
    return found;
  }

  save(record: NetworkRecord): void {
    writeJsonAtomic(join(this.dir, `${record.Id}.json`), record);
    this.byId.set(record.Id, record);
  }

  delete(id: string): void {
    this.byId.delete(id);
    const file = join(this.dir, `${id}.json`);
    if (existsSync(file)) rmSync(file);
  }
}
