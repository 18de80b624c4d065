/** A MountPlan as inspect shows it (Docker's MountPoint list): volumes, binds, images, and `--mount type=tmpfs`. */
import type { MountPoint } from './manager.js';
import type { MountPlan } from './plan.js';

export function mountPointsOf(plan: MountPlan, mountpointOf: (volume: string) => string): MountPoint[] {
  const points: MountPoint[] = [];
  for (const m of plan.mounts) {
    if (m.type === 'volume') {
      points.push({ Type: 'volume', Name: m.name, Source: mountpointOf(m.name), Destination: m.target, Driver: 'local', Mode: m.mode, RW: !m.readOnly, Propagation: '' });
    } else if (m.type === 'bind') {
      points.push({ Type: 'bind', Source: m.source, Destination: m.target, Mode: m.mode, RW: !m.readOnly, Propagation: m.propagation });
    } else if (m.type === 'image') {
      points.push({ Type: 'image', Source: m.image, Destination: m.target, Mode: '', RW: false, Propagation: '' });
    } else if (m.listed) {
      points.push({ Type: 'tmpfs', Source: '', Destination: m.target, Mode: '', RW: m.tmpfs.readOnly !== true, Propagation: '' });
    }
  }
  return points;
}
