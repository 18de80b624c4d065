import type { EngineApi } from '../../engine/client/engine-api.js';
import { buildServiceGraph, traverseGraph, type ServicesWithDependencies } from '../../graph/index.js';
import { isDict } from '../types.js';
import { UserError } from '../../errors.js';
import type { ActualContainer } from './actual.js';
import { createServiceContainer } from './create-container.js';
import type { DesiredProject, DesiredService } from './desired.js';
import type { ContainerAction, Plan } from './plan.js';
import type { ProgressSink } from './progress.js';
import { ensureNetworks, ensureVolumes, resourcesUsedBy } from './resources.js';
import { waitForCondition } from './wait-dependency.js';
import { runExecHooks, runPreStartHooks } from './hooks.js';

export interface ApplyOptions {
  noStart: boolean;
  removeOrphans: boolean;
  timeout?: number; // seconds, for stopping containers that are recreated or removed
  concurrency?: number; // COMPOSE_PARALLEL_LIMIT / --parallel
  allResources?: boolean; // --all-resources: every declared network and volume, used or not
  warn: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * Executes a plan as docker compose does: networks and volumes first; then every container is created (or
 * recreated) in dependency order; then started level by level, each service once its dependencies' conditions hold.
 * A dependency that fails leaves its dependents created, not started.
 */
export async function applyUp(engine: EngineApi, project: DesiredProject, plan: Plan, progress: ProgressSink, opts: ApplyOptions): Promise<Map<string, string[]>> {
  const services = [...new Set(plan.containers.map((a) => a.service))];
  checkDonors(project, services, plan);
  const used = opts.allResources ? { networks: new Set(project.networks.map((n) => n.key)), volumes: new Set(project.volumes.map((v) => v.key)) } : resourcesUsedBy(project, services);
  await ensureNetworks(engine, project, used.networks, progress);
  await ensureVolumes(engine, project, used.volumes, progress);
  await handleOrphans(engine, plan.orphans, progress, opts);
  const ids = new Map<string, string[]>();
  const graph = buildServiceGraph(Object.fromEntries(project.services.map((s) => [s.name, { depends_on: dependsOn(s) }])) as ServicesWithDependencies);
  const walk = { direction: 'up' as const, subset: services, ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) };
  const toStart = new Map<string, Prepared[]>();
  await traverseGraph(
    graph,
    async (name) => {
      const service = project.services.find((s) => s.name === name)!;
      const actions = plan.containers.filter((a) => a.service === name);
      const idOf = (s: string): string | undefined => ids.get(s)?.[0] ?? plan.actual.find((c) => c.service === s && !c.oneoff && c.number === 1)?.id;
      const made = await Promise.all(actions.map((a) => prepareContainer(engine, project, service, a, idOf, progress, opts)));
      ids.set(name, made.filter((m) => m.id !== undefined).map((m) => m.id!));
      toStart.set(name, made.filter((m) => m.start));
    },
    walk,
  );
  if (opts.noStart) return ids;
  await traverseGraph(
    graph,
    async (name) => {
      const service = project.services.find((s) => s.name === name)!;
      await waitForDependencies(engine, project, service, graph, ids, progress, opts.warn, opts.signal);
      const starting = toStart.get(name) ?? [];
      // pre_start runs once per service, when its containers are new (not on an unchanged up or a scale-up)
      if (starting.some((m) => m.action.kind === 'recreate' || (m.action.kind === 'create' && m.action.number === 1))) await runPreStartHooks(engine, project, service);
      await Promise.all(starting.map(async (m) => {
        await startOne(engine, m.action, m.id!, progress);
        await runExecHooks(engine, m.id!, service.name, service.config, 'post_start');
      }));
    },
    walk,
  );
  return ids;
}

function dependsOn(service: DesiredService): Record<string, { condition?: string; required?: boolean; restart?: boolean }> {
  return (isDict(service.config.depends_on) ? service.config.depends_on : {}) as Record<string, { condition?: string }>;
}

async function waitForDependencies(engine: EngineApi, project: DesiredProject, service: DesiredService, graph: ReturnType<typeof buildServiceGraph>, ids: Map<string, string[]>, progress: ProgressSink, warnOptional: (message: string) => void, signal?: AbortSignal): Promise<void> {
  for (const edge of graph.dependenciesOf(service.name)) {
    const names = project.services.find((s) => s.name === edge.to)?.containerNames ?? [];
    for (const [i, id] of (ids.get(edge.to) ?? []).entries()) {
      try {
        await waitForCondition(engine, { id, name: names[i] ?? edge.to }, edge.condition, progress, signal);
      } catch (e) {
        // `required: false`: the dependent starts anyway, and says so
        if (edge.required) throw e;
        warnOptional(`optional dependency "${edge.to}" failed to start: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
}

interface Prepared {
  action: ContainerAction;
  id: string | undefined; // the container that now stands for the action (none when removed)
  start: boolean; // to be started in the second phase
}

/** First phase: create, recreate, or remove one container; nothing is started here. */
async function prepareContainer(engine: EngineApi, project: DesiredProject, service: DesiredService, action: ContainerAction, containerIdOf: (service: string) => string | undefined, progress: ProgressSink, opts: ApplyOptions): Promise<Prepared> {
  const event = (status: string, extra: { detail?: string | undefined; done?: boolean } = {}): void => progress({ kind: 'Container', name: action.name, status, ...extra });
  const create = (): Promise<string> => createServiceContainer(engine, project, service, { name: action.name, number: action.number, containerIdOf });
  switch (action.kind) {
    case 'create': {
      event('Creating');
      const id = await create();
      event('Created', { done: opts.noStart });
      return { action, id, start: true };
    }
    case 'recreate': {
      event('Recreate', { detail: action.reason });
      await stopAndRemove(engine, action.existing!, opts.timeout);
      const id = await create();
      event('Recreated', { detail: action.reason, done: opts.noStart });
      return { action, id, start: true };
    }
    case 'start':
      return { action, id: action.existing!.id, start: true };
    case 'keep':
      event('Running', { done: true });
      return { action, id: action.existing!.id, start: false };
    case 'remove':
      event('Stopping', { detail: action.reason });
      await stopAndRemove(engine, action.existing!, opts.timeout);
      event('Removed', { done: true });
      return { action, id: undefined, start: false };
  }
}

/** Second phase: one container started. */
async function startOne(engine: EngineApi, action: ContainerAction, id: string, progress: ProgressSink): Promise<void> {
  progress({ kind: 'Container', name: action.name, status: 'Starting' });
  await engine.startContainer(id);
  progress({ kind: 'Container', name: action.name, status: 'Started', done: true });
}

export async function stopAndRemove(engine: EngineApi, container: ActualContainer, timeout?: number): Promise<void> {
  if (container.state === 'running' || container.state === 'paused' || container.state === 'restarting') await engine.stopContainer(container.id, timeout);
  await engine.removeContainer(container.id, { force: true });
}

async function handleOrphans(engine: EngineApi, orphans: ActualContainer[], progress: ProgressSink, opts: ApplyOptions): Promise<void> {
  if (orphans.length === 0) return;
  // exited one-offs of services no longer in the model are leftovers: removed without asking, as docker compose does
  for (const leftover of orphans.filter((o) => o.oneoff && o.state !== 'running')) await engine.removeContainer(leftover.id, { force: true });
  orphans = orphans.filter((o) => !(o.oneoff && o.state !== 'running'));
  if (orphans.length === 0) return;
  if (!opts.removeOrphans) {
    opts.warn(`Found orphan containers ([${orphans.map((o) => o.name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
    return;
  }
  await Promise.all(
    orphans.map(async (o) => {
      progress({ kind: 'Container', name: o.name, status: 'Removing' });
      await stopAndRemove(engine, o, opts.timeout);
      progress({ kind: 'Container', name: o.name, status: 'Removed', done: true });
    }),
  );
}

/** A service sharing another's network namespace or volumes needs that container, started now or already there. */
function checkDonors(project: DesiredProject, services: string[], plan: Plan): void {
  const exists = (donor: string): boolean => services.includes(donor) || plan.actual.some((c) => c.service === donor && !c.oneoff);
  for (const service of project.services.filter((s) => services.includes(s.name))) {
    const mode = String(service.config.network_mode ?? '');
    if (mode.startsWith('service:') && !exists(mode.slice('service:'.length))) {
      throw new UserError(`cannot share network namespace with service ${mode.slice('service:'.length)}: container missing`);
    }
    for (const from of Array.isArray(service.config.volumes_from) ? service.config.volumes_from.map(String) : []) {
      const donor = from.split(':')[0]!;
      if (!from.startsWith('container:') && !exists(donor)) throw new UserError(`cannot share volume with service ${donor}: container missing`);
    }
  }
}
