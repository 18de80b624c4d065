// The service dependency graph: which service waits for which, and under what condition.
import { InternalError, UserError } from '../errors.js';
import { findCycle } from './cycle.js';

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

/** `from` depends on `to`: `to` must satisfy `condition` before `from` starts. */
export interface DependencyEdge {
  from: string;
  to: string;
  condition: DependencyCondition;
  required: boolean;
  restart: boolean;
}

export interface ServiceGraph {
  /** Every service, sorted by name. */
  readonly services: readonly string[];
  /** Every edge, sorted by `from` then `to`. */
  readonly edges: readonly DependencyEdge[];
  /** Edges leaving `s` (what it needs), sorted by `to`. */
  dependenciesOf(s: string): DependencyEdge[];
  /** Edges arriving at `s` (who needs it), sorted by `from`. */
  dependentsOf(s: string): DependencyEdge[];
}

export interface DependsOnEntry {
  condition?: string;
  required?: boolean;
  restart?: boolean;
}

export type ServicesWithDependencies = Record<string, { depends_on?: Record<string, DependsOnEntry> }>;

export interface BuildGraphOptions {
  warn?: (msg: string) => void;
}

const CONDITIONS: readonly DependencyCondition[] = ['service_started', 'service_healthy', 'service_completed_successfully'];

/** Plain code-point order: the same in every locale, so output is reproducible. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Builds the graph from canonical services (depends_on already in map form, implicit dependencies included).
 * Throws UserError for a required dependency on an undefined service and for any cycle.
 */
export function buildServiceGraph(services: ServicesWithDependencies, opts: BuildGraphOptions = {}): ServiceGraph {
  const names = Object.keys(services).sort(byName);
  const defined = new Set(names);
  const edges: DependencyEdge[] = [];
  for (const from of names) {
    const dependsOn = services[from]?.depends_on ?? {};
    for (const to of Object.keys(dependsOn).sort(byName)) {
      const edge = toEdge(from, to, dependsOn[to] ?? {});
      if (defined.has(to)) edges.push(edge);
      else rejectUndefined(edge, opts.warn);
    }
  }
  const graph = makeGraph(names, edges);
  const cycle = findCycle(graph);
  if (cycle) throw new UserError(`dependency cycle detected: ${cycle.join(' -> ')}`);
  return graph;
}

function toEdge(from: string, to: string, entry: DependsOnEntry): DependencyEdge {
  return {
    from,
    to,
    condition: parseCondition(from, to, entry.condition),
    required: entry.required ?? true,
    restart: entry.restart ?? false,
  };
}

function parseCondition(from: string, to: string, condition: string | undefined): DependencyCondition {
  if (condition === undefined) return 'service_started';
  const known = CONDITIONS.find((c) => c === condition);
  if (known) return known;
  throw new UserError(
    `service "${from}" depends on "${to}" with unknown condition "${condition}" (expected one of ${CONDITIONS.join(', ')})`,
  );
}

// A required dependency must exist; an optional one is dropped so the rest of the project still works.
function rejectUndefined(edge: DependencyEdge, warn: BuildGraphOptions['warn']): void {
  if (edge.required) {
    throw new UserError(`service "${edge.from}" depends on undefined service "${edge.to}": invalid compose project`);
  }
  warn?.(`service "${edge.from}" has an optional dependency on undefined service "${edge.to}": ignored`);
}

/** Wraps sorted names and sorted edges into the read-only ServiceGraph view. */
function makeGraph(names: readonly string[], edges: readonly DependencyEdge[]): ServiceGraph {
  const outgoing = groupEdges(names, edges, (e) => e.from);
  const incoming = groupEdges(names, edges, (e) => e.to);
  incoming.forEach((list) => list.sort((a, b) => byName(a.from, b.from)));
  const lookup = (index: Map<string, DependencyEdge[]>, s: string): DependencyEdge[] => {
    const list = index.get(s);
    if (!list) throw new InternalError(`service graph has no service "${s}"`);
    return list.map((e) => ({ ...e }));
  };
  return {
    services: Object.freeze([...names]),
    edges: Object.freeze(edges.map((e) => Object.freeze({ ...e }))),
    dependenciesOf: (s) => lookup(outgoing, s),
    dependentsOf: (s) => lookup(incoming, s),
  };
}

function groupEdges(
  names: readonly string[],
  edges: readonly DependencyEdge[],
  keyOf: (e: DependencyEdge) => string,
): Map<string, DependencyEdge[]> {
  const groups = new Map<string, DependencyEdge[]>(names.map((n) => [n, []]));
  for (const edge of edges) groups.get(keyOf(edge))?.push(edge);
  return groups;
}
