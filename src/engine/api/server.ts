import { createServer, type Server } from 'node:http';
import type { EngineContext } from '../context.js';
import { sendError, statusOf } from './http.js';
import { rejectUpgrade } from './hijack.js';
import { Router } from './router.js';
import { addArchiveRoutes } from './routes/archive.js';
import { addBuildRoutes } from './routes/build.js';
import { addContainerRoutes } from './routes/containers.js';
import { addEventRoutes } from './routes/events.js';
import { addExecRoutes } from './routes/exec.js';
import { addImageRoutes } from './routes/images.js';
import { addNetworkRoutes } from './routes/networks.js';
import { addSystemRoutes } from './routes/system.js';
import { addVolumeRoutes } from './routes/volumes.js';

/** The engine's HTTP API: Docker's paths and shapes; handlers throw, this maps what they throw to `{"message"}`. */
export function createApiServer(engine: EngineContext, log: (line: string) => void): Server {
  const router = new Router();
  addSystemRoutes(router, engine);
  addContainerRoutes(router, engine);
  addArchiveRoutes(router, engine);
  addExecRoutes(router, engine);
  addImageRoutes(router, engine);
  addBuildRoutes(router, engine);
  addEventRoutes(router, engine);
  addNetworkRoutes(router, engine);
  addVolumeRoutes(router, engine);
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => {
        const { route, params, query } = router.match(req.method ?? 'GET', req.url ?? '/');
        return route.handler({ req, res, params, query });
      })
      .catch((e: unknown) => {
        if (statusOf(e) >= 500) log(`${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}`);
        sendError(res, e);
      });
  });
  server.on('upgrade', (req, socket, head) => {
    Promise.resolve()
      .then(() => {
        const { route, params, query } = router.match(req.method ?? 'GET', req.url ?? '/');
        if (!route.upgrade) throw Object.assign(new Error('this endpoint does not upgrade'), { statusCode: 400 });
        return route.upgrade({ req, socket, head, params, query });
      })
      .catch((e: unknown) => rejectUpgrade(socket, statusOf(e), (e as Error).message));
  });
  server.keepAliveTimeout = 60_000;
  return server;
}
