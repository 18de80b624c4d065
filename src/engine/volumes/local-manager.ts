/**
 * The real VolumeManager: plans each container's mounts at create (creating the volumes and bind sources they
 * need), turns the plan into runtime mounts at start (copying the image's content into empty volumes first),
 * and removes a container's anonymous volumes at `rm -v` once nobody else uses them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import type { MountSpec } from '../../runtime/spec.js';
import { copyImageContent } from '../../volume/copy-up.js';
import { isEmptyDirectory } from '../../volume/disk-usage.js';
import { VolumeStore } from '../../volume/store.js';
import type { VolumeBacking } from '../../volume/types.js';
import type { EngineContext } from '../context.js';
import type { ContainerRecord } from '../containers/record.js';
import type { MountPoint, VolumeManager } from './manager.js';
import { mountPointsOf } from './mount-points.js';
import { isVolumeMount, type MountPlan, type PlannedMount } from './plan.js';
import { PlanStore } from './plan-store.js';
import { draftPlan, type PlanDraft } from './planner.js';

type VolumeMount = Extract<PlannedMount, { type: 'volume' }>;

export class LocalVolumeManager implements VolumeManager {
  readonly store: VolumeStore;
  private readonly plans: PlanStore;
  /** One copy-up at a time per volume: two containers starting on one empty volume must not both fill it. */
  private readonly copyLocks = new Map<string, Promise<void>>();

  /** `engine` is read lazily: the manager is built inside the engine context it needs. */
  constructor(root: string, private readonly engine: () => EngineContext) {
    this.plans = new PlanStore(join(root, 'volume-plans'));
    this.store = new VolumeStore(join(root, 'volumes'), { usersOf: (name) => this.usersOf(name) });
  }

  prepare(record: ContainerRecord, imageVolumes: string[]): void {
    this.apply(this.draft(record, imageVolumes));
  }

  async mountsFor(record: ContainerRecord, lowerDirs: string[]): Promise<MountSpec[]> {
    const plan = this.planOf(record);
    const specs: MountSpec[] = [];
    for (const mount of plan.mounts) specs.push(await this.specOf(mount, lowerDirs));
    return specs;
  }

  /** Read-only: a container without a plan (made before volumes existed) shows its draft, nothing is created. */
  mountPoints(record: ContainerRecord): MountPoint[] {
    const plan = this.plans.get(record.id) ?? this.draft(record, []).plan;
    return mountPointsOf(plan, (name) => this.store.mountpoint(name));
  }

  release(record: ContainerRecord, removeAnonymous: boolean): void {
    const plan = this.plans.get(record.id);
    this.plans.delete(record.id);
    if (!plan || !removeAnonymous) return;
    for (const mount of plan.mounts.filter(isVolumeMount).filter((m) => m.anonymous)) {
      // still used by another container (volumes-from): kept, as Docker does
      if (this.usersOf(mount.name).length > 0) continue;
      this.removeVolume(mount.name, false).catch(() => undefined);
    }
  }

  async removeVolume(name: string, force: boolean): Promise<void> {
    const existed = this.store.find(name) !== undefined;
    await this.store.remove(name, { force });
    if (existed) this.publish('destroy', name);
  }

  async pruneVolumes(filters: Map<string, string[]>): Promise<{ deleted: string[]; reclaimedBytes: number }> {
    const result = await this.store.prune(filters);
    for (const name of result.deleted) this.publish('destroy', name);
    this.publish('prune', '', { reclaimed: String(result.reclaimedBytes) });
    return result;
  }

  /** The container's plan; a container made before it had one gets it now (its image's VOLUMEs unknown). */
  private planOf(record: ContainerRecord): MountPlan {
    const existing = this.plans.get(record.id);
    if (existing) return existing;
    this.prepare(record, []);
    return this.plans.get(record.id)!;
  }

  private draft(record: ContainerRecord, imageVolumes: string[]): PlanDraft {
    return draftPlan(record, imageVolumes, {
      volumeExists: (name) => this.store.find(name) !== undefined,
      planOfContainer: (ref) => this.planOf(this.engine().containers.get(ref)),
      imageExists: (ref) => this.engine().images.resolve(ref) !== undefined,
    });
  }

  /** Creates what the draft needs, then records the plan (nothing is created when planning failed). */
  private apply(draft: PlanDraft): void {
    for (const source of draft.bindSourcesToCreate) mkdirSync(source, { recursive: true, mode: 0o755 });
    for (const volume of draft.volumesToCreate) {
      const request = { Name: volume.name, ...(volume.labels ? { Labels: volume.labels } : {}), ...(volume.driverOpts ? { DriverOpts: volume.driverOpts } : {}) };
      if (this.store.create(request, { anonymous: volume.anonymous }).created) this.publish('create', volume.name);
    }
    this.plans.save(draft.plan);
  }

  private async specOf(mount: PlannedMount, lowerDirs: string[]): Promise<MountSpec> {
    if (mount.type === 'bind') return { type: 'bind', source: mount.source, target: mount.target, readOnly: mount.readOnly, propagation: mount.propagation };
    if (mount.type === 'tmpfs') return { type: 'tmpfs', target: mount.target, ...mount.tmpfs };
    if (mount.type === 'image') {
      // the image may have gone since create: get() answers "No such image"
      const images = this.engine().images;
      return { type: 'image', lowerDirs: images.lowerDirs(images.get(mount.image)), target: mount.target, ...(mount.subpath ? { subpath: mount.subpath } : {}) };
    }
    const backing = this.backingOf(mount);
    if (backing.kind === 'tmpfs') {
      const { kind: _kind, options, ...settings } = backing;
      return { type: 'tmpfs', target: mount.target, ...settings, ...(options.length ? { options } : {}), readOnly: mount.readOnly || backing.readOnly === true };
    }
    if (!existsSync(backing.path)) throw new UserError(`error while mounting volume '${mount.name}': no such file or directory: ${backing.path}`);
    if (mount.copyUp) await this.copyUpOnce(mount, backing.path, lowerDirs);
    return { type: 'bind', source: backing.path, target: mount.target, readOnly: mount.readOnly || backing.readOnly === true };
  }

  /** The volume's backing; a volume removed by force meanwhile comes back empty, as Docker re-creates it. */
  private backingOf(mount: VolumeMount): VolumeBacking {
    let volume = this.store.find(mount.name);
    if (!volume) {
      volume = this.store.create({ Name: mount.name }, { anonymous: mount.anonymous }).volume;
      this.publish('create', mount.name);
    }
    return this.store.backing(volume);
  }

  private async copyUpOnce(mount: VolumeMount, dataDir: string, lowerDirs: string[]): Promise<void> {
    const previous = this.copyLocks.get(mount.name) ?? Promise.resolve();
    const current = previous.then(async () => {
      if (await isEmptyDirectory(dataDir)) await copyImageContent(lowerDirs, mount.target, dataDir);
    });
    const settled = current.catch(() => undefined);
    this.copyLocks.set(mount.name, settled);
    try {
      await current;
    } finally {
      if (this.copyLocks.get(mount.name) === settled) this.copyLocks.delete(mount.name);
    }
  }

  /** Containers (known to the engine) whose plan mounts the volume; plans of vanished containers are dropped. */
  private usersOf(name: string): string[] {
    const containers = this.engine().containers;
    return this.plans.usersOf(name).filter((id) => {
      if (containers.find(id)?.id === id) return true;
      this.plans.delete(id);
      return false;
    });
  }

  private publish(action: string, name: string, extra: Record<string, string> = {}): void {
    this.engine().events.publish('volume', action, name, { driver: 'local', ...extra });
  }
}
