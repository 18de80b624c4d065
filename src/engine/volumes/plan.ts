/**
 * A container's mounts as resolved at create time (Docker keeps them as the container's MountPoints): which
 * volume, bind, tmpfs or image goes where. Persisted with the volume manager so that start, inspect, volumes-from,
 * `rm -v` and the "volume is in use" check all read the same answer.
 */

export type Propagation = 'rprivate' | 'private' | 'rshared' | 'shared' | 'rslave' | 'slave';

export interface TmpfsSettings {
  sizeBytes?: number;
  mode?: number;
  readOnly?: boolean;
  options?: string[];
}

export type PlannedMount =
  | {
      type: 'volume';
      target: string;
      name: string;
      readOnly: boolean;
      /** Docker's copy-up of the image's content into the volume when it is empty (off with `nocopy`). */
      copyUp: boolean;
      /** Made for this container (or shared through volumes-from): `rm -v` removes it. */
      anonymous: boolean;
      mode: string; // as given (`ro`, `rw,nocopy`, ...), for inspect
    }
  | { type: 'bind'; target: string; source: string; readOnly: boolean; propagation: Propagation; mode: string }
  | {
      type: 'tmpfs';
      target: string;
      tmpfs: TmpfsSettings;
      /** `--mount type=tmpfs` shows in inspect's Mounts; `--tmpfs` (HostConfig.Tmpfs) does not, as in Docker. */
      listed: boolean;
    }
  /** `type: image`: the image's layers, read-only (a subpath only shows that directory of the image). */
  | { type: 'image'; target: string; image: string; subpath?: string };

export interface MountPlan {
  containerId: string;
  mounts: PlannedMount[];
}

/** A volume the plan needs that does not exist yet (created when the plan is applied). */
export interface VolumeToCreate {
  name: string;
  anonymous: boolean;
  labels?: Record<string, string>;
  driverOpts?: Record<string, string>;
  driver?: string;
}

export const isVolumeMount = (m: PlannedMount): m is Extract<PlannedMount, { type: 'volume' }> => m.type === 'volume';

/** Parents before children (`/data` before `/data/logs`), as Docker sorts mounts. */
export function byMountDepth(a: PlannedMount, b: PlannedMount): number {
  return depth(a.target) - depth(b.target);
}

function depth(path: string): number {
  return path.split('/').filter(Boolean).length;
}
