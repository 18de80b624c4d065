/**
 * Every container's MountPlan, in memory and on disk (`<root>/volume-plans/<container id>.json`, atomic writes).
 * Kept apart from the container's own folder so that it outlives the folder during `rm` until the volumes
 * are released, and so that "which containers use volume X" is answered from one place.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../util/atomic-write.js';
import type { MountPlan } from './plan.js';

export class PlanStore {
  private readonly plans = new Map<string, MountPlan>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      try {
        const plan = JSON.parse(readFileSync(join(dir, file), 'utf8')) as MountPlan;
        this.plans.set(plan.containerId, plan);
      } catch {
        rmSync(join(dir, file), { force: true }); // a torn write cannot happen (atomic); anything else is junk
      }
    }
  }

  get(containerId: string): MountPlan | undefined {
    return this.plans.get(containerId);
  }

  save(plan: MountPlan): void {
    writeJsonAtomic(join(this.dir, `${plan.containerId}.json`), plan);
    this.plans.set(plan.containerId, plan);
  }

  delete(containerId: string): void {
    this.plans.delete(containerId);
    rmSync(join(this.dir, `${containerId}.json`), { force: true });
  }

  /** Container ids whose plan mounts the volume. */
  usersOf(volumeName: string): string[] {
    return [...this.plans.values()].filter((p) => p.mounts.some((m) => m.type === 'volume' && m.name === volumeName)).map((p) => p.containerId);
  }

  containerIds(): string[] {
    return [...this.plans.keys()];
  }
}
