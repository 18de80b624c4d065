// Parallel walk over the service graph in dependency order ('up') or reverse dependency order ('down').
import { InternalError, UserError } from '../errors.js';
import { byName, type ServiceGraph } from './dependency-graph.js';

export interface TraverseOptions {
  /** 'up': dependencies before dependents (start). 'down': dependents before dependencies (stop, remove). */
  direction: 'up' | 'down';
  /** Most visits in flight at once: a positive integer or Infinity; default unlimited. */
  concurrency?: number;
  /** Walk only these services; edges to services outside the subset are ignored. */
  subset?: string[];
}

/**
 * Calls `visit` once per service, each only after the services it waits for have finished; independent
 * services run in parallel. On the first rejection no new visit starts, running ones finish, then the
 * returned promise rejects with that first error. Bad options (unknown service) also reject, never throw.
 */
export async function traverseGraph(
  graph: ServiceGraph,
  visit: (service: string) => Promise<void>,
  opts: TraverseOptions,
): Promise<void> {
  const members = selectMembers(graph, opts.subset);
  const limit = concurrencyLimit(opts.concurrency);
  const prerequisites = opts.direction === 'up' ? dependenciesWithin : dependentsWithin;
  const followers = opts.direction === 'up' ? dependentsWithin : dependenciesWithin;
  const waitingOn = new Map([...members].map((s) => [s, prerequisites(graph, s, members).length]));
  return new Promise((resolve, reject) => {
    const ready = [...members].filter((s) => waitingOn.get(s) === 0).sort(byName);
    let running = 0;
    let finished = 0;
    let failure: { error: unknown } | undefined;

    const settleIfIdle = (): void => {
      if (running > 0) return;
      if (failure) reject(failure.error);
      else if (finished === members.size) resolve();
      else if (ready.length === 0) reject(new InternalError('traverseGraph: no service can start (cycle in graph?)'));
    };
    const onDone = (service: string): void => {
      running--;
      finished++;
      const unblocked = followers(graph, service, members).filter((next) => release(waitingOn, next) === 0);
      ready.push(...unblocked.sort(byName));
      pump();
    };
    const onFail = (error: unknown): void => {
      running--;
      failure ??= { error };
      pump();
    };
    const pump = (): void => {
      while (!failure && running < limit && ready.length > 0) {
        const service = ready.shift() as string;
        running++;
        // The async wrapper turns a synchronous throw from `visit` into a rejection.
        (async () => visit(service))().then(() => onDone(service), onFail);
      }
      settleIfIdle();
    };
    pump();
  });
}

/** `services` plus everything they need, directly or transitively; sorted by name. */
export function withDependencies(graph: ServiceGraph, services: string[]): string[] {
  const known = new Set(graph.services);
  const found = new Set<string>();
  const pending = [...services];
  while (pending.length > 0) {
    const service = pending.pop() as string;
    if (found.has(service)) continue;
    if (!known.has(service)) throw noSuchService(service);
    found.add(service);
    for (const { to } of graph.dependenciesOf(service)) pending.push(to);
  }
  return [...found].sort(byName);
}

function selectMembers(graph: ServiceGraph, subset: string[] | undefined): Set<string> {
  if (subset === undefined) return new Set(graph.services);
  const known = new Set(graph.services);
  const unknown = subset.find((s) => !known.has(s));
  if (unknown !== undefined) throw noSuchService(unknown);
  return new Set(subset);
}

function concurrencyLimit(concurrency: number | undefined): number {
  if (concurrency === undefined) return Infinity;
  if (concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1)) return concurrency;
  throw new InternalError(`traverseGraph: concurrency must be a positive integer or Infinity, got ${concurrency}`);
}

function dependenciesWithin(graph: ServiceGraph, service: string, members: Set<string>): string[] {
  return graph.dependenciesOf(service).map((e) => e.to).filter((s) => members.has(s));
}

function dependentsWithin(graph: ServiceGraph, service: string, members: Set<string>): string[] {
  return graph.dependentsOf(service).map((e) => e.from).filter((s) => members.has(s));
}

/** One prerequisite of `service` finished: returns how many it still waits for. */
function release(waitingOn: Map<string, number>, service: string): number {
  const left = (waitingOn.get(service) ?? 0) - 1;
  waitingOn.set(service, left);
  return left;
}

// Same wording as Docker Compose for a service name it does not know.
function noSuchService(service: string): UserError {
  return new UserError(`no such service: ${service}`);
}
