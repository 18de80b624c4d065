// The dependency graph package: build, order, walk and render the service graph.
export * from './dependency-graph.js';
export { findCycle } from './cycle.js';
export { startLevels } from './levels.js';
export { traverseGraph, withDependencies, type TraverseOptions } from './traversal.js';
export { renderGraph, GRAPH_FORMATS, type GraphFormat } from './render.js';
