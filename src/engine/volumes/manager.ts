import type { MountSpec } from '../../runtime/spec.js';
import type { VolumeStore } from '../../volume/store.js';
import type { ContainerRecord } from '../containers/record.js';

/** One entry of inspect's `Mounts` (Docker's MountPoint). */
export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs' | 'image';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

/**
 * The engine's seam to volumes (src/volume does the work): turns a container's Binds / Mounts / Tmpfs and its
 * image's VOLUMEs into runtime mounts, creating named and anonymous volumes on first use and filling an empty
 * one from the image's content at that path (as Docker does).
 */
export interface VolumeManager {
  /** The named volumes themselves, for the `/volumes` API. */
  readonly store: VolumeStore;
  /** At create: named volumes exist or are created, anonymous ones are made; errors are the user's. */
  prepare(record: ContainerRecord, imageVolumes: string[]): void;
  /** At start: the mounts, in order, with `lowerDirs` of the image for the copy-up of empty volumes. */
  mountsFor(record: ContainerRecord, lowerDirs: string[]): Promise<MountSpec[]>;
  /** For inspect. */
  mountPoints(record: ContainerRecord): MountPoint[];
  /** At rm: anonymous volumes go when `-v` asks (and with AutoRemove, as Docker's `--rm`). */
  release(record: ContainerRecord, removeAnonymous: boolean): void;
  /** `volume rm` / `volume prune` go through here so that the events are published. */
  removeVolume(name: string, force: boolean): Promise<void>;
  pruneVolumes(filters: Map<string, string[]>): Promise<{ deleted: string[]; reclaimedBytes: number }>;
}
