/** A volume as the store keeps it (`<root>/volumes/<name>/volume.json`) and as Docker's API shows it. */

/** Docker ≥ 23 marks anonymous volumes with this label; `volume prune` without `all` removes only those. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

export interface VolumeRecord {
  name: string;
  driver: 'local';
  createdAt: string; // RFC 3339
  labels: Record<string, string>;
  /** The local driver's options as given (type, device, o). */
  options: Record<string, string>;
}

/** Docker's Volume object (GET /volumes/{name}). */
export interface VolumeView {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string> | null;
  Scope: 'local';
  Options: Record<string, string> | null;
}

/** POST /volumes/create body (Docker's VolumeCreateOptions). */
export interface CreateVolumeRequest {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

/** Where a volume's content lives when a container mounts it. */
export type VolumeBacking =
  | { kind: 'directory'; path: string; readOnly?: boolean } // `_data`, or the device of `type=none,o=bind`
  | { kind: 'tmpfs'; sizeBytes?: number; mode?: number; readOnly?: boolean; options: string[] };

export const isAnonymous = (record: VolumeRecord): boolean => ANONYMOUS_LABEL in record.labels;
