// Start levels: services that can start together once every earlier level has started.
import { InternalError } from '../errors.js';
import { byName, type ServiceGraph } from './dependency-graph.js';

/** Level 0 holds services without dependencies; a service sits one level above its deepest dependency. Each level is sorted. */
export function startLevels(graph: ServiceGraph): string[][] {
  const levelOf = new Map<string, number>();
  const levels: string[][] = [];
  for (const service of graph.services) {
    const level = computeLevel(service, graph, levelOf, new Set());
    (levels[level] ??= []).push(service);
  }
  // Services were visited in name order, so each level is already sorted; sort anyway to not depend on that.
  return levels.map((names) => names.sort(byName));
}

function computeLevel(service: string, graph: ServiceGraph, levelOf: Map<string, number>, visiting: Set<string>): number {
  const known = levelOf.get(service);
  if (known !== undefined) return known;
  // buildServiceGraph rejects cycles, so meeting one here means the graph came from somewhere else.
  if (visiting.has(service)) throw new InternalError(`startLevels: cycle through "${service}"`);
  visiting.add(service);
  let level = 0;
  for (const { to } of graph.dependenciesOf(service)) {
    level = Math.max(level, computeLevel(to, graph, levelOf, visiting) + 1);
  }
  visiting.delete(service);
  levelOf.set(service, level);
  return level;
}
