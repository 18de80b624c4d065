import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InternalError, UserError } from '../../src/errors.js';
import {
  buildServiceGraph,
  type DependsOnEntry,
  type ServicesWithDependencies,
} from '../../src/graph/dependency-graph.js';
import { startLevels } from '../../src/graph/levels.js';
import { traverseGraph, withDependencies } from '../../src/graph/traversal.js';
import { renderGraph } from '../../src/graph/render.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

/** services from a compact map: { web: ['db'], db: [] } or with full entries. */
function project(spec: Record<string, string[] | Record<string, DependsOnEntry>>): ServicesWithDependencies {
  const services: ServicesWithDependencies = {};
  for (const [name, deps] of Object.entries(spec)) {
    const depends_on = Array.isArray(deps) ? Object.fromEntries(deps.map((d) => [d, {}])) : deps;
    services[name] = { depends_on };
  }
  return services;
}

/** The same services with keys (services and depends_on) in reverse insertion order. */
function reversedKeys(services: ServicesWithDependencies): ServicesWithDependencies {
  const out: ServicesWithDependencies = {};
  for (const name of Object.keys(services).reverse()) {
    const deps = services[name]?.depends_on ?? {};
    out[name] = { depends_on: Object.fromEntries(Object.entries(deps).reverse()) };
  }
  return out;
}

function cycleMessage(services: ServicesWithDependencies): string {
  try {
    buildServiceGraph(services);
  } catch (e) {
    assert.ok(e instanceof UserError, `expected UserError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected a cycle error');
}

// A small graph used by traversal and render tests:  web → api → db, web → cache (optional), worker → db.
const sample = () =>
  buildServiceGraph({
    web: {
      depends_on: {
        api: { condition: 'service_started', required: true, restart: false },
        cache: { condition: 'service_started', required: false, restart: false },
      },
    },
    api: { depends_on: { db: { condition: 'service_healthy', required: true, restart: true } } },
    worker: { depends_on: { db: { condition: 'service_completed_successfully' } } },
    db: {},
    cache: {},
  });

// --- building ----------------------------------------------------------------------------------

test('edges get compose defaults and sorted adjacency', () => {
  const g = buildServiceGraph(project({ web: ['db', 'cache'], db: [], cache: [] }));
  assert.deepEqual(g.services, ['cache', 'db', 'web']);
  assert.deepEqual(g.dependenciesOf('web'), [
    { from: 'web', to: 'cache', condition: 'service_started', required: true, restart: false },
    { from: 'web', to: 'db', condition: 'service_started', required: true, restart: false },
  ]);
  assert.deepEqual(g.dependentsOf('db').map((e) => e.from), ['web']);
  assert.deepEqual(g.dependenciesOf('db'), []);
  assert.throws(() => g.dependenciesOf('nope'), InternalError);
});

test('a required dependency on an undefined service is a UserError', () => {
  assert.throws(
    () => buildServiceGraph(project({ web: ['db'] })),
    (e: unknown) =>
      e instanceof UserError && e.message === 'service "web" depends on undefined service "db": invalid compose project',
  );
});

test('an optional dependency on an undefined service is dropped with a warning', () => {
  const warnings: string[] = [];
  const g = buildServiceGraph(project({ web: { db: { required: false } } }), { warn: (m) => warnings.push(m) });
  assert.deepEqual(g.edges, []);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /"web".*undefined service "db"/);
});

test('an unknown condition is a UserError', () => {
  assert.throws(() => buildServiceGraph(project({ web: { db: { condition: 'service_ready' } }, db: [] })), UserError);
});

test('self dependency is a cycle', () => {
  assert.equal(cycleMessage(project({ service1: ['service1'] })), 'dependency cycle detected: service1 -> service1');
});

test('3-cycle message is exact and independent of key order', () => {
  const services = project({ c: ['a'], a: ['b'], b: ['c'], z: ['a'] });
  const expected = 'dependency cycle detected: a -> b -> c -> a';
  assert.equal(cycleMessage(services), expected);
  assert.equal(cycleMessage(reversedKeys(services)), expected);
});

test('cycle found the way compose-go finds it (first path in name order)', () => {
  // compose-go's own example: B -> D -> C -> B, reached from B (A leads nowhere).
  const services = project({ A: [], B: ['D'], C: ['A', 'B'], D: ['C', 'E'], E: ['B'], F: ['D'], G: ['A'] });
  assert.equal(cycleMessage(services), 'dependency cycle detected: B -> D -> C -> B');
  assert.equal(cycleMessage(reversedKeys(services)), 'dependency cycle detected: B -> D -> C -> B');
});

/** A compose-go test fixture, with list-form depends_on turned into the canonical map. */
function peerFixture(name: string): ServicesWithDependencies | undefined {
  const file = join(PEER_FIXTURES, 'compose-go/loader/testdata', name);
  if (!existsSync(file)) return undefined;
  const doc = parse(readFileSync(file, 'utf8')) as { services: Record<string, { depends_on?: string[] }> };
  return project(Object.fromEntries(Object.entries(doc.services).map(([n, s]) => [n, s.depends_on ?? []])));
}

test('compose-go cycle fixtures give compose-go messages', (t) => {
  const cycle = peerFixture('compose-depends-on-cycle.yaml');
  const self = peerFixture('compose-depends-on-self.yaml');
  if (!cycle || !self) return t.skip('peer fixtures not available');
  assert.equal(cycleMessage(cycle), 'dependency cycle detected: service1 -> service2 -> service3 -> service1');
  assert.equal(cycleMessage(self), 'dependency cycle detected: service1 -> service1');
});

// --- levels ------------------------------------------------------------------------------------

test('start levels group services by depth, each level sorted', () => {
  assert.deepEqual(startLevels(sample()), [['cache', 'db'], ['api', 'worker'], ['web']]);
  assert.deepEqual(startLevels(buildServiceGraph({})), []);
});

test('withDependencies adds everything needed, transitively', () => {
  const g = sample();
  assert.deepEqual(withDependencies(g, ['web']), ['api', 'cache', 'db', 'web']);
  assert.deepEqual(withDependencies(g, ['worker', 'db']), ['db', 'worker']);
  assert.throws(() => withDependencies(g, ['nope']), /no such service: nope/);
});

// --- traversal ---------------------------------------------------------------------------------

type Event = { kind: 'start' | 'end'; service: string; at: number };

/** Runs a traversal whose visits take `ms` each, recording start/end events and the peak number in flight. */
async function record(
  g: ReturnType<typeof sample>,
  opts: Parameters<typeof traverseGraph>[2],
  fail?: string,
): Promise<{ events: Event[]; peak: number; error?: unknown }> {
  const events: Event[] = [];
  let seq = 0;
  let inFlight = 0;
  let peak = 0;
  let error: unknown;
  try {
    await traverseGraph(
      g,
      async (service) => {
        events.push({ kind: 'start', service, at: seq++ });
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, service === fail ? 5 : 15));
        inFlight--;
        events.push({ kind: 'end', service, at: seq++ });
        if (service === fail) throw new Error(`boom ${service}`);
      },
      opts,
    );
  } catch (e) {
    error = e;
  }
  return { events, peak, error };
}

function when(events: Event[], kind: Event['kind'], service: string): number {
  const e = events.find((x) => x.kind === kind && x.service === service);
  assert.ok(e, `no ${kind} event for ${service}`);
  return e.at;
}

test('up: a service starts only after all its dependencies ended; independent ones overlap', async () => {
  const g = sample();
  const { events, peak } = await record(g, { direction: 'up' });
  for (const edge of g.edges) {
    assert.ok(when(events, 'end', edge.to) < when(events, 'start', edge.from), `${edge.from} started before ${edge.to} ended`);
  }
  assert.equal(events.length, 10);
  assert.ok(peak >= 2, 'independent services should run in parallel');
});

test('down: a service starts only after all its dependents ended', async () => {
  const g = sample();
  const { events } = await record(g, { direction: 'down' });
  for (const edge of g.edges) {
    assert.ok(when(events, 'end', edge.from) < when(events, 'start', edge.to), `${edge.to} stopped before ${edge.from}`);
  }
  assert.equal(events[0]?.service, 'web'); // web and worker have no dependents; web sorts first
});

test('concurrency limit is respected', async () => {
  const wide = buildServiceGraph(project({ a: [], b: [], c: [], d: [], e: [], f: [] }));
  assert.equal((await record(wide, { direction: 'up', concurrency: 2 })).peak, 2);
  assert.equal((await record(wide, { direction: 'up', concurrency: 1 })).peak, 1);
  assert.equal((await record(wide, { direction: 'up' })).peak, 6);
  await assert.rejects(traverseGraph(wide, async () => {}, { direction: 'up', concurrency: 0 }), InternalError);
});

test('a failure stops new visits, lets running ones finish, then rejects with the first error', async () => {
  // cache and db start together; db fails first (5 ms) while cache (15 ms) is still running.
  const { events, error } = await record(sample(), { direction: 'up' }, 'db');
  assert.ok(error instanceof Error && error.message === 'boom db');
  const started = events.filter((e) => e.kind === 'start').map((e) => e.service).sort();
  assert.deepEqual(started, ['cache', 'db']);
  assert.ok(events.some((e) => e.kind === 'end' && e.service === 'cache'), 'running visit was not awaited');
});

test('a synchronous throw from visit is a failure too', async () => {
  const g = buildServiceGraph(project({ a: [] }));
  await assert.rejects(
    traverseGraph(g, () => { throw new Error('sync'); }, { direction: 'up' }),
    /sync/,
  );
});

test('subset walks only those services, keeping order among them', async () => {
  const g = sample();
  const { events } = await record(g, { direction: 'up', subset: ['web', 'db', 'api'] });
  const order = events.filter((e) => e.kind === 'start').map((e) => e.service);
  assert.deepEqual(order, ['db', 'api', 'web']);
  await assert.rejects(traverseGraph(g, async () => {}, { direction: 'up', subset: ['nope'] }), /no such service: nope/);
  await traverseGraph(g, async () => assert.fail('nothing to visit'), { direction: 'down', subset: [] });
});

// --- rendering ---------------------------------------------------------------------------------

test('text rendering', () => {
  assert.equal(
    renderGraph(sample(), 'text'),
    [
      'level 0: cache, db',
      'level 1: api, worker',
      '  api → db (healthy, restart)',
      '  worker → db (completed)',
      'level 2: web',
      '  web → api (started), cache (started, optional)',
      '',
    ].join('\n'),
  );
  assert.equal(renderGraph(buildServiceGraph({}), 'text'), 'no services\n');
});

test('dot rendering', () => {
  const dot = renderGraph(sample(), 'dot');
  assert.equal(
    dot,
    [
      'digraph services {',
      '  node [shape=box];',
      '  "api";',
      '  "cache";',
      '  "db";',
      '  "web";',
      '  "worker";',
      '  "api" -> "db" [label="healthy, restart"];',
      '  "web" -> "api" [label="started"];',
      '  "web" -> "cache" [label="started, optional", style=dashed];',
      '  "worker" -> "db" [label="completed"];',
      '}',
      '',
    ].join('\n'),
  );
  // Sanity: one digraph block, balanced braces, every statement terminated.
  assert.match(dot, /^digraph \w+ \{\n(  [^\n]*;\n)*\}\n$/);
});

test('dot quotes awkward names', () => {
  const dot = renderGraph(buildServiceGraph(project({ node: ['my-db.v2'], 'my-db.v2': [] })), 'dot');
  assert.match(dot, /"node" -> "my-db\.v2"/);
});

test('mermaid rendering', () => {
  assert.equal(
    renderGraph(sample(), 'mermaid'),
    [
      'flowchart TD',
      '  s0["api"]',
      '  s1["cache"]',
      '  s2["db"]',
      '  s3["web"]',
      '  s4["worker"]',
      '  s0 -->|"healthy, restart"| s2',
      '  s3 -->|"started"| s0',
      '  s3 -.->|"started, optional"| s1',
      '  s4 -->|"completed"| s2',
      '',
    ].join('\n'),
  );
});

test('rendering does not depend on input key order', () => {
  const services = project({ web: ['db', 'cache'], db: [], cache: ['db'] });
  for (const format of ['text', 'dot', 'mermaid'] as const) {
    assert.equal(
      renderGraph(buildServiceGraph(services), format),
      renderGraph(buildServiceGraph(reversedKeys(services)), format),
    );
  }
});
