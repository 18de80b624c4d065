// Renders the service graph for `tscompose graph`: plain text for terminals, Graphviz dot, Mermaid.
import { InternalError } from '../errors.js';
import type { DependencyCondition, DependencyEdge, ServiceGraph } from './dependency-graph.js';
import { startLevels } from './levels.js';

export type GraphFormat = 'text' | 'dot' | 'mermaid';

export const GRAPH_FORMATS: readonly GraphFormat[] = ['text', 'dot', 'mermaid'];

/** Deterministic rendering; the result ends with a newline. */
export function renderGraph(graph: ServiceGraph, format: GraphFormat): string {
  switch (format) {
    case 'text':
      return renderText(graph);
    case 'dot':
      return renderDot(graph);
    case 'mermaid':
      return renderMermaid(graph);
    default:
      throw new InternalError(`renderGraph: unknown format ${String(format)}`);
  }
}

const SHORT_CONDITION: Record<DependencyCondition, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

/** "healthy", plus "optional" / "restart" when those flags differ from the defaults. */
function edgeLabel(edge: DependencyEdge): string {
  const parts = [SHORT_CONDITION[edge.condition]];
  if (!edge.required) parts.push('optional');
  if (edge.restart) parts.push('restart');
  return parts.join(', ');
}

// --- text ---------------------------------------------------------------------------------------

/**
 * level 0: cache, db
 * level 1: web
 *   web → cache (started), db (healthy)
 */
function renderText(graph: ServiceGraph): string {
  if (graph.services.length === 0) return 'no services\n';
  const lines: string[] = [];
  startLevels(graph).forEach((services, level) => {
    lines.push(`level ${level}: ${services.join(', ')}`);
    for (const service of services) {
      const deps = graph.dependenciesOf(service);
      if (deps.length > 0) lines.push(`  ${service} → ${deps.map((e) => `${e.to} (${edgeLabel(e)})`).join(', ')}`);
    }
  });
  return lines.join('\n') + '\n';
}

// --- Graphviz -----------------------------------------------------------------------------------

// Every id is quoted, so names that are dot keywords ("node", "graph") or contain '.'/'-' stay valid.
function dotId(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function renderDot(graph: ServiceGraph): string {
  const lines = ['digraph services {', '  node [shape=box];'];
  for (const service of graph.services) lines.push(`  ${dotId(service)};`);
  for (const edge of graph.edges) {
    const attrs = [`label=${dotId(edgeLabel(edge))}`];
    if (!edge.required) attrs.push('style=dashed');
    lines.push(`  ${dotId(edge.from)} -> ${dotId(edge.to)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

// --- Mermaid ------------------------------------------------------------------------------------

// Mermaid node ids are generated (s0, s1, ...) because service names may be Mermaid keywords such as "end".
function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function renderMermaid(graph: ServiceGraph): string {
  const idOf = new Map(graph.services.map((s, i) => [s, `s${i}`]));
  const lines = ['flowchart TD'];
  for (const service of graph.services) lines.push(`  ${idOf.get(service)}["${mermaidText(service)}"]`);
  for (const edge of graph.edges) {
    const arrow = edge.required ? '-->' : '-.->';
    lines.push(`  ${idOf.get(edge.from)} ${arrow}|"${mermaidText(edgeLabel(edge))}"| ${idOf.get(edge.to)}`);
  }
  return lines.join('\n') + '\n';
}
