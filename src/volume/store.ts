/**
 * Named volumes of the `local` driver: `<root>/volumes/<name>/volume.json` (written atomically) and `_data`, the
 * directory containers mount. Which containers use a volume is the engine's knowledge: the store asks `usersOf`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { backingFor, validateDriverOptions } from './driver-options.js';
import { directorySize } from './disk-usage.js';
import { NoSuchVolumeError, VolumeInUseError } from './errors.js';
import { isPruneCandidate, matchListFilters, type VolumeFilters } from './filters.js';
import { anonymousVolumeName, checkVolumeName } from './names.js';
import { ANONYMOUS_LABEL, type CreateVolumeRequest, type VolumeBacking, type VolumeRecord, type VolumeView } from './types.js';
import { compareText } from '../util/compare-text.js';

const RECORD_FILE = 'volume.json';
const DATA_DIR = '_data';

export interface VolumeStoreOptions {
  /** Ids of the containers (running or not) that mount the volume. */
  usersOf: (name: string) => string[];
}

export interface PruneResult {
  deleted: string[];
  reclaimedBytes: number;
}

export class VolumeStore {
  private readonly records = new Map<string, VolumeRecord>();

  constructor(readonly dir: string, private readonly options: VolumeStoreOptions) {
    mkdirSync(dir, { recursive: true, mode: 0o701 });
    this.load();
  }

  /** Creates the volume, or returns the existing one of that name (Docker's create is idempotent). */
  create(request: CreateVolumeRequest, opts: { anonymous?: boolean } = {}): { volume: VolumeRecord; created: boolean } {
    const driver = request.Driver || 'local';
    if (driver !== 'local') throw new UserError(`volume driver "${driver}" is not supported: only "local" is`);
    const labels = { ...(request.Labels ?? {}) };
    const name = request.Name || anonymousVolumeName();
    if (!request.Name || opts.anonymous) labels[ANONYMOUS_LABEL] = '';
    checkVolumeName(name);
    const existing = this.records.get(name);
    if (existing) return { volume: existing, created: false };
    const options = { ...(request.DriverOpts ?? {}) };
    validateDriverOptions(options);
    const volume: VolumeRecord = { name, driver: 'local', createdAt: rfc3339Now(), labels, options };
    this.write(volume);
    return { volume, created: true };
  }

  find(name: string): VolumeRecord | undefined {
    return this.records.get(name);
  }

  get(name: string): VolumeRecord {
    const volume = this.records.get(name);
    if (!volume) throw new NoSuchVolumeError(name);
    return volume;
  }

  list(filters: VolumeFilters = new Map()): VolumeRecord[] {
    const ctx = { inUse: (name: string) => this.options.usersOf(name).length > 0 };
    return [...this.records.values()].filter((v) => matchListFilters(v, filters, ctx)).sort((a, b) => compareText(a.name, b.name));
  }

  /** The `_data` directory (Docker's Mountpoint). */
  mountpoint(name: string): string {
    return join(this.dir, name, DATA_DIR);
  }

  backing(volume: VolumeRecord): VolumeBacking {
    return backingFor(volume.options, this.mountpoint(volume.name));
  }

  view(volume: VolumeRecord): VolumeView {
    return {
      CreatedAt: volume.createdAt,
      Driver: volume.driver,
      Labels: Object.keys(volume.labels).length ? volume.labels : null,
      Mountpoint: this.mountpoint(volume.name),
      Name: volume.name,
      Options: Object.keys(volume.options).length ? volume.options : null,
      Scope: 'local',
    };
  }

  /** `volume rm`: refused while a container uses it unless forced; a bind volume's host path is never touched. */
  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    const volume = this.records.get(name);
    if (!volume) {
      if (opts.force) return;
      throw new NoSuchVolumeError(name, 'remove');
    }
    const users = this.options.usersOf(name);
    if (users.length > 0 && !opts.force) throw new VolumeInUseError(name, users);
    this.records.delete(name);
    await this.deleteFolder(name);
  }

  /** Unused volumes matching the filters (anonymous only unless `all=true`), with the bytes their data held. */
  async prune(filters: VolumeFilters = new Map()): Promise<PruneResult> {
    const ctx = { inUse: (name: string) => this.options.usersOf(name).length > 0 };
    const result: PruneResult = { deleted: [], reclaimedBytes: 0 };
    for (const volume of [...this.records.values()].filter((v) => isPruneCandidate(v, filters, ctx))) {
      const backing = this.backing(volume);
      const bytes = backing.kind === 'directory' && backing.path === this.mountpoint(volume.name) ? await directorySize(backing.path) : 0;
      if (this.options.usersOf(volume.name).length > 0 || !this.records.has(volume.name)) continue; // taken meanwhile
      this.records.delete(volume.name);
      await this.deleteFolder(volume.name);
      result.deleted.push(volume.name);
      result.reclaimedBytes += bytes;
    }
    return result;
  }

  private write(volume: VolumeRecord): void {
    const folder = join(this.dir, volume.name);
    mkdirSync(join(folder, DATA_DIR), { recursive: true, mode: 0o755 });
    writeJsonAtomic(join(folder, RECORD_FILE), volume);
    this.records.set(volume.name, volume);
  }

  /**
   * Renames the folder aside first (the name is free at once and a crash leaves no half-deleted volume), then
   * deletes it asynchronously. Only `_data` and the record live there: a bind volume's device is elsewhere.
   */
  private async deleteFolder(name: string): Promise<void> {
    const folder = join(this.dir, name);
    const trash = join(this.dir, `.removing-${name}-${Date.now()}`);
    renameSync(folder, trash);
    await rm(trash, { recursive: true, force: true });
  }

  /** Reads every record; leftovers of interrupted creates or removals are cleaned up. */
  private load(): void {
    for (const entry of readdirSync(this.dir)) {
      const folder = join(this.dir, entry);
      if (entry.startsWith('.removing-')) {
        rmSync(folder, { recursive: true, force: true });
        continue;
      }
      const file = join(folder, RECORD_FILE);
      if (!existsSync(file)) {
        rmSync(folder, { recursive: true, force: true });
        continue;
      }
      const volume = JSON.parse(readFileSync(file, 'utf8')) as VolumeRecord;
      this.records.set(volume.name, volume);
    }
  }
}

/** Docker's CreatedAt: RFC 3339 in local time with offset, no fraction (`2024-01-02T03:04:05Z`). */
function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
