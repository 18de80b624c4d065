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
  if (existing.length > service.replicas && service.replicas > 0 && typeof service.config.container_name !== 'string') return planScaleDown(service, existing, opts);
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
  const imageChanged = imageOutdated(service, current);
  const changed = current.hash !== service.hash || imageChanged;
  if (!opts.noRecreate && (opts.forceRecreate || changed)) {
    const reason = opts.forceRecreate && !changed ? 'forced' : current.hash === service.hash ? 'image changed' : describeChanges(current.labels[LABEL.serviceConfig], service.config);
    return { ...base, kind: 'recreate', reason };
  }
  return { ...base, kind: current.state === 'running' ? 'keep' : 'start' };
}

/** The service's image was rebuilt or re-pulled since the container was made from it (Compose's image digest label). */
function imageOutdated(service: DesiredService, current: ActualContainer): boolean {
  const recorded = current.labels[LABEL.image] ?? '';
  return service.imageId !== undefined && recorded.startsWith('sha256:') && recorded !== service.imageId;
}

/** Scaling down keeps the up-to-date containers first (then the lowest numbers) and removes the rest, as Compose does. */
function planScaleDown(service: DesiredService, existing: ActualContainer[], opts: UpOptions): ContainerAction[] {
  const upToDate = (c: ActualContainer) => c.hash === service.hash && !imageOutdated(service, c);
  const ranked = [...existing].sort((a, b) => Number(upToDate(b)) - Number(upToDate(a)) || a.number - b.number);
  const kept = ranked.slice(0, service.replicas).sort((a, b) => a.number - b.number);
  const removed = ranked.slice(service.replicas).sort((a, b) => a.number - b.number);
  return [
    ...kept.map((c) => planExisting(service, c, c.name, c.number, opts)),
    ...removed.map((c): ContainerAction => ({ kind: 'remove', service: service.name, name: c.name, number: c.number, existing: c, reason: 'scaled down' })),
  ];
}
