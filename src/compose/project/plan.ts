import type { ActualContainer } from './actual.js';
import type { DesiredProject, DesiredService } from './desired.js';
import { describeChanges } from './changes.js';
import { LABEL } from './labels.js';

export type ContainerActionKind = 'create' | 'recreate' | 'start' | 'keep' | 'remove';

export interface ContainerAction {
  kind: ContainerActionKind;
  service: string;
  name: string;
  number: number;
  existing?: ActualContainer;
  /** Why (recreate: "ports changed"; remove: "scaled down", "orphan"). */
  reason?: string;
}

export interface UpOptions {
  forceRecreate: boolean;
  noRecreate: boolean;
  removeOrphans: boolean;
  noStart: boolean;
  /** Only these services (and, unless noDeps, what they depend on) — decided by the caller. */
  services?: string[];
}

export interface Plan {
  containers: ContainerAction[];
  orphans: ActualContainer[];
  /** Every container of the project found (for `service:x` references to services outside the plan). */
  actual: ActualContainer[];
}

/** Pure: what `up` must do to each container so that the engine matches the model (printable, a dry run is free). */
export function planUp(desired: DesiredProject, actual: ActualContainer[], opts: UpOptions): Plan {
  const wanted = new Set(opts.services ?? desired.services.map((s) => s.name));
  const byService = new Map<string, ActualContainer[]>();
  for (const c of actual.filter((c) => !c.oneoff)) byService.set(c.service, [...(byService.get(c.service) ?? []), c]);
  const containers = desired.services.filter((s) => wanted.has(s.name)).flatMap((s) => planService(s, byService.get(s.name) ?? [], opts));
  const known = new Set(desired.services.map((s) => s.name));
  const orphans = actual.filter((c) => !known.has(c.service));
  return { containers, orphans, actual };
}

function planService(service: DesiredService, existing: ActualContainer[], opts: UpOptions): ContainerAction[] {
  const actions: ContainerAction[] = [];
  for (let i = 0; i < service.replicas; i++) {
    const number = i + 1;
    const name = service.containerNames[i]!;
    const current = existing.find((c) => c.number === number) ?? existing.find((c) => c.name === name);
    actions.push(current ? planExisting(service, current, name, number, opts) : { kind: 'create', service: service.name, name, number });
  }
  for (const extra of existing.filter((c) => c.number > service.replicas && c.name !== service.containerNames[0])) {
    actions.push({ kind: 'remove', service: service.name, name: extra.name, number: extra.number, existing: extra, reason: 'scaled down' });
  }
  return actions;
}

function planExisting(service: DesiredService, current: ActualContainer, name: string, number: number, opts: UpOptions): ContainerAction {
  const base = { service: service.name, name, number, existing: current };
  const changed = current.hash !== service.hash;
  if (!opts.noRecreate && (opts.forceRecreate || changed)) {
    const reason = opts.forceRecreate && !changed ? 'forced' : describeChanges(current.labels[LABEL.serviceConfig], service.config);
    return { ...base, kind: 'recreate', reason };
  }
  return { ...base, kind: current.state === 'running' ? 'keep' : 'start' };
}
