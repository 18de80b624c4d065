import type { ServerResponse } from 'node:http';
import { frame, formatLogLine } from '../../logs/stream-framing.js';
import { readLogs } from '../../logs/json-file.js';
import { parseSince } from '../../logs/since.js';
import type { EngineContext } from '../../context.js';
import type { ContainerConfig, CreateContainerBody } from '../docker-types.js';
import { createContainer } from '../../containers/ops/create.js';
import { commitFromQuery } from '../../containers/ops/commit.js';
import { killContainer } from '../../containers/ops/kill.js';
import { pauseContainer } from '../../containers/ops/pause.js';
import { removeContainer } from '../../containers/ops/remove.js';
import { startContainer } from '../../containers/ops/start.js';
import { streamStats } from '../../containers/ops/stats.js';
import { stopContainer } from '../../containers/ops/stop.js';
import { topContainer } from '../../containers/ops/top.js';
import { waitContainer, type WaitCondition } from '../../containers/ops/wait.js';
import { filterContainers } from '../../containers/filters.js';
import { inspectView, listView } from '../../containers/views.js';
import { acceptUpgrade, rejectUpgrade } from '../hijack.js';
import { queryBool, queryFilters, queryInt, readJson, sendEmpty, sendJson } from '../http.js';
import type { Router, UpgradeContext } from '../router.js';

export function addContainerRoutes(router: Router, engine: EngineContext): void {
  const find = (id: string) => engine.containers.get(id);
  router
    .add('POST', '/containers/create', async ({ req, res, query }) => {
      const record = createContainer(engine, await readJson<CreateContainerBody>(req), query.get('name') ?? undefined);
      sendJson(res, 201, { Id: record.id, Warnings: [] });
    })
    .add('POST', '/commit', async ({ req, res, query }) => sendJson(res, 201, await commitFromQuery(engine, query, await readJson<ContainerConfig | null>(req))))
    .add('GET', '/containers/json', ({ res, query }) => {
      const all = queryBool(query, 'all');
      const now = new Date();
      const records = filterContainers(engine.containers.all(), queryFilters(query)).filter((r) => all || r.state.status === 'running' || r.state.status === 'paused' || r.state.status === 'restarting');
      sendJson(res, 200, records.map((r) => listView(r, now, engine.volumes.mountPoints(r))));
    })
    .add('GET', '/containers/{id}/json', ({ res, params }) => {
      const record = find(params.id!);
      sendJson(res, 200, inspectView(record, record.imageId, engine.volumes.mountPoints(record)));
    })
    .add('POST', '/containers/{id}/start', async ({ res, params }) => {
      sendEmpty(res, (await startContainer(engine, find(params.id!))) === 'already' ? 304 : 204);
    })
    .add('POST', '/containers/{id}/stop', async ({ res, params, query }) => {
      sendEmpty(res, (await stopContainer(engine, find(params.id!), queryInt(query, 't'))) === 'already' ? 304 : 204);
    })
    .add('POST', '/containers/{id}/restart', async ({ res, params, query }) => {
      const record = find(params.id!);
      await stopContainer(engine, record, queryInt(query, 't'));
      await startContainer(engine, record);
      engine.events.container(record, 'restart');
      sendEmpty(res, 204);
    })
    .add('POST', '/containers/{id}/kill', async ({ res, params, query }) => {
      await killContainer(engine, find(params.id!), query.get('signal') ?? 'SIGKILL');
      sendEmpty(res, 204);
    })
    .add('POST', '/containers/{id}/wait', async ({ res, params, query }) => {
      const record = find(params.id!);
      const condition = (query.get('condition') ?? 'not-running') as WaitCondition;
      // Headers first, as Docker does: a client knows the wait is registered before it starts the container.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      const code = await waitContainer(engine, record, condition);
      res.end(JSON.stringify({ StatusCode: code, ...(record.state.error ? { Error: { Message: record.state.error } } : {}) }));
    })
    .add('DELETE', '/containers/{id}', async ({ res, params, query }) => {
      await removeContainer(engine, find(params.id!), { force: queryBool(query, 'force'), volumes: queryBool(query, 'v') });
      sendEmpty(res, 204);
    })
    .add('POST', '/containers/{id}/pause', async ({ res, params }) => {
      await pauseContainer(engine, find(params.id!), true);
      sendEmpty(res, 204);
    })
    .add('POST', '/containers/{id}/unpause', async ({ res, params }) => {
      await pauseContainer(engine, find(params.id!), false);
      sendEmpty(res, 204);
    })
    .add('GET', '/containers/{id}/top', ({ res, params }) => sendJson(res, 200, topContainer(engine, find(params.id!))))
    .add('GET', '/containers/{id}/stats', async ({ res, params, query }) => {
      const stream = queryBool(query, 'stream', true) && !queryBool(query, 'one-shot');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for await (const sample of streamStats(engine, find(params.id!), { stream })) {
        if (res.destroyed) break;
        res.write(JSON.stringify(sample) + '\n');
      }
      res.end();
    })
    .add('GET', '/containers/{id}/logs', async ({ req, res, params, query }) => streamLogs(engine, params.id!, query, res, req))
    .add('POST', '/containers/{id}/resize', ({ res, params, query }) => {
      resizeQuietly(engine.running.get(find(params.id!).id)?.process, query);
      sendEmpty(res, 200);
    })
    .add('POST', '/containers/{id}/attach', () => undefined, (ctx) => attach(engine, ctx));
}

/** A resize racing the process's exit finds its terminal closed: nothing to resize any more, not an error. */
export function resizeQuietly(process: { resize?(rows: number, cols: number): void } | undefined, query: URLSearchParams): void {
  try {
    process?.resize?.(queryInt(query, 'h') ?? 24, queryInt(query, 'w') ?? 80);
  } catch {
    // the terminal is gone with the process
  }
}

async function streamLogs(engine: EngineContext, id: string, query: URLSearchParams, res: ServerResponse, req: import('node:http').IncomingMessage): Promise<void> {
  const record = engine.containers.get(id);
  const now = new Date();
  const tail = query.get('tail');
  const abort = new AbortController();
  req.on('close', () => abort.abort());
  const tty = record.config.Tty === true;
  res.writeHead(200, { 'Content-Type': tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream' });
  res.flushHeaders();
  const timestamps = queryBool(query, 'timestamps');
  const entries = readLogs(
    record.logPath,
    {
      follow: queryBool(query, 'follow'),
      stdout: queryBool(query, 'stdout'),
      stderr: queryBool(query, 'stderr'),
      ...(query.get('since') && query.get('since') !== '0' ? { since: parseSince(query.get('since')!, now) } : {}),
      ...(query.get('until') && query.get('until') !== '0' ? { until: parseSince(query.get('until')!, now) } : {}),
      tail: tail === null || tail === 'all' ? 'all' : Number(tail),
      timestamps,
    },
    { isRunning: () => engine.running.has(record.id), onceStopped: engine.running.get(record.id)?.settled ?? Promise.resolve(), signal: abort.signal },
  );
  for await (const entry of entries) {
    const line = formatLogLine(entry, timestamps);
    if (!res.write(tty ? line : frame(entry.stream, line))) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

/** Hijacked attach: the container's output (framed unless it has a terminal) out, the client's bytes to its stdin. */
function attach(engine: EngineContext, { socket, params, query }: UpgradeContext): void {
  const record = engine.containers.find(params.id!);
  const bus = record && engine.outputs.get(record.id);
  if (!record || !bus) return rejectUpgrade(socket, 404, `No such container: ${params.id}`);
  const tty = record.config.Tty === true;
  acceptUpgrade(socket, tty);
  const wanted = new Set(['stdout', 'stderr'].filter((s) => queryBool(query, s)));
  const onData = (stream: 'stdout' | 'stderr', chunk: Buffer): void => {
    if (wanted.has(stream)) socket.write(tty ? chunk : frame(stream, chunk));
  };
  bus.on('data', onData);
  const finish = (): void => {
    bus.off('data', onData);
    unsubscribe();
    socket.end();
  };
  // Ends with the container: after its exit has been recorded (all output delivered).
  const unsubscribe = engine.events.subscribe((event) => {
    if (event.Actor.ID === record.id && (event.Action === 'die' || event.Action === 'destroy')) setImmediate(finish);
  });
  socket.on('error', finish);
  socket.on('close', () => {
    bus.off('data', onData);
    unsubscribe();
  });
  if (queryBool(query, 'stdin')) {
    socket.on('data', (chunk: Buffer) => engine.running.get(record.id)?.process.stdin?.write(chunk));
    socket.on('end', () => {
      if (record.config.StdinOnce !== false) engine.running.get(record.id)?.process.stdin?.end();
    });
  }
}
