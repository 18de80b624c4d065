import type { EngineApi } from '../../engine/client/engine-api.js';
import { buildServiceGraph, traverseGraph, type ServicesWithDependencies } from '../../graph/index.js';
import { isDict } from '../types.js';
import type { ActualContainer } from './actual.js';
import { createServiceContainer } from './create-container.js';
import type { DesiredProject, DesiredService } from './desired.js';
import type { ContainerAction, Plan } from './plan.js';
import type { ProgressSink } from './progress.js';
import { ensureNetworks, ensureVolumes, resourcesUsedBy } from './resources.js';
import { waitForCondition } from './wait-dependency.js';

export interface ApplyOptions {
  noStart: boolean;
  removeOrphans: boolean;
  timeout?: number; // seconds, for stopping containers that are recreated or removed
  concurrency?: number; // COMPOSE_PARALLEL_LIMIT / --parallel
  warn: (message: string) => void;
  signal?: AbortSignal;
}

/** Executes a plan: networks and volumes first, then services level by level (dependencies first, in parallel). */
export async function applyUp(engine: EngineApi, project: DesiredProject, plan: Plan, progress: ProgressSink, opts: ApplyOptions): Promise<Map<string, string[]>> {
  const services = [...new Set(plan.containers.map((a) => a.service))];
  const used = resourcesUsedBy(project, services);
  await ensureNetworks(engine, project, used.networks, progress);
  await ensureVolumes(engine, project, used.volumes, progress);
  await handleOrphans(engine, plan.orphans, progress, opts);
  const ids = new Map<string, string[]>();
  const graph = buildServiceGraph(Object.fromEntries(project.services.map((s) => [s.name, { depends_on: dependsOn(s) }])) as ServicesWithDependencies);
  await traverseGraph(
    graph,
    async (name) => {
      const service = project.services.find((s) => s.name === name)!;
      if (!opts.noStart) await waitForDependencies(engine, project, service, graph, ids, progress, opts.signal);
      const actions = plan.containers.filter((a) => a.service === name);
      ids.set(name, (await Promise.all(actions.map((a) => applyAction(engine, project, service, a, ids, progress, opts)))).filter((id): id is string => id !== undefined));
    },
    { direction: 'up', subset: services, ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) },
  );
  return ids;
}

function dependsOn(service: DesiredService): Record<string, { condition?: string; required?: boolean; restart?: boolean }> {
  return (isDict(service.config.depends_on) ? service.config.depends_on : {}) as Record<string, { condition?: string }>;
}

async function waitForDependencies(engine: EngineApi, project: DesiredProject, service: DesiredService, graph: ReturnType<typeof buildServiceGraph>, ids: Map<string, string[]>, progress: ProgressSink, signal?: AbortSignal): Promise<void> {
  for (const edge of graph.dependenciesOf(service.name)) {
    const names = project.services.find((s) => s.name === edge.to)?.containerNames ?? [];
    for (const [i, id] of (ids.get(edge.to) ?? []).entries()) {
      await waitForCondition(engine, { id, name: names[i] ?? edge.to }, edge.condition, progress, signal);
    }
  }
}

/** One container action; returns the id of the container that now stands for it (none when removed). */
async function applyAction(engine: EngineApi, project: DesiredProject, service: DesiredService, action: ContainerAction, ids: Map<string, string[]>, progress: ProgressSink, opts: ApplyOptions): Promise<string | undefined> {
  const event = (status: string, extra: { detail?: string; done?: boolean } = {}): void => progress({ kind: 'Container', name: action.name, status, ...extra });
  const start = async (id: string): Promise<string> => {
    if (opts.noStart) return id;
    event('Starting');
    await engine.startContainer(id);
    event('Started', { done: true });
    return id;
  };
  const create = async (): Promise<string> => {
    event('Creating');
    const id = await createServiceContainer(engine, project, service, { name: action.name, number: action.number, containerIdOf: (s) => ids.get(s)?.[0] });
    event('Created', { done: opts.noStart });
    return id;
  };
  switch (action.kind) {
    case 'create':
      return start(await create());
    case 'recreate': {
      event('Recreate', { detail: action.reason });
      await stopAndRemove(engine, action.existing!, opts.timeout);
      const id = await createServiceContainer(engine, project, service, { name: action.name, number: action.number, containerIdOf: (s) => ids.get(s)?.[0] });
      event('Recreated', { detail: action.reason, done: opts.noStart });
      return start(id);
    }
    case 'start':
      return start(action.existing!.id);
    case 'keep':
      event('Running', { done: true });
      return action.existing!.id;
    case 'remove':
      event('Stopping', { detail: action.reason });
      await stopAndRemove(engine, action.existing!, opts.timeout);
      event('Removed', { done: true });
      return undefined;
  }
}

export async function stopAndRemove(engine: EngineApi, container: ActualContainer, timeout?: number): Promise<void> {
  if (container.state === 'running' || container.state === 'paused' || container.state === 'restarting') await engine.stopContainer(container.id, timeout);
  await engine.removeContainer(container.id, { force: true });
}

async function handleOrphans(engine: EngineApi, orphans: ActualContainer[], progress: ProgressSink, opts: ApplyOptions): Promise<void> {
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
