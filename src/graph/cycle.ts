// Cycle search that reports the same cycle Docker Compose (compose-go) reports for the same file:
// start from each service in name order, follow dependencies in name order, and stop at the first
// dependency already on the current path. The reported cycle starts where that path first touched it.
import type { ServiceGraph } from './dependency-graph.js';

/** The first cycle found, as a closed walk (`['a', 'b', 'a']`), or undefined when the graph is acyclic. */
export function findCycle(graph: ServiceGraph): string[] | undefined {
  // Services already searched without finding a cycle: nothing reachable from them loops, so skip them.
  const cleared = new Set<string>();
  for (const root of graph.services) {
    if (cleared.has(root)) continue;
    const cycle = searchFrom([root], graph, cleared);
    if (cycle) return cycle;
  }
  return undefined;
}

function searchFrom(path: string[], graph: ServiceGraph, cleared: Set<string>): string[] | undefined {
  const current = path[path.length - 1] as string;
  for (const { to } of graph.dependenciesOf(current)) {
    const seenAt = path.indexOf(to);
    if (seenAt >= 0) return [...path.slice(seenAt), to];
    if (cleared.has(to)) continue;
    path.push(to);
    const cycle = searchFrom(path, graph, cleared);
    path.pop();
    if (cycle) return cycle;
  }
  cleared.add(current);
  return undefined;
}
