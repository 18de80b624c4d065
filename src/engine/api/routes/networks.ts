import type { EngineContext } from '../../context.js';
import type { EndpointConfig } from '../docker-types.js';
import type { CreateNetworkBody } from '../../networks/manager.js';
import { badRequest, queryFilters, readJson, sendEmpty, sendJson } from '../http.js';
import type { Router } from '../router.js';

/** Docker's /networks endpoints (bridge driver only). */
export function addNetworkRoutes(router: Router, engine: EngineContext): void {
  const networks = engine.networks;
  router
    .add('GET', '/networks', ({ res, query }) => sendJson(res, 200, networks.list(Object.fromEntries(queryFilters(query)))))
    .add('POST', '/networks/create', async ({ req, res }) => {
      sendJson(res, 201, await networks.create(await readJson<CreateNetworkBody>(req)));
    })
    .add('POST', '/networks/prune', async ({ res, query }) => {
      sendJson(res, 200, { NetworksDeleted: await networks.prune(Object.fromEntries(queryFilters(query))) });
    })
    .add('GET', '/networks/{id}', ({ res, params }) => sendJson(res, 200, networks.inspect(params.id!)))
    .add('DELETE', '/networks/{id}', async ({ res, params }) => {
      await networks.remove(params.id!);
      sendEmpty(res, 204);
    })
    .add('POST', '/networks/{id}/connect', async ({ req, res, params }) => {
      const body = await readJson<{ Container?: string; EndpointConfig?: EndpointConfig }>(req);
      if (!body.Container) throw badRequest('Container is required');
      await networks.connect(engine.containers.get(body.Container), params.id!, body.EndpointConfig ?? {});
      sendEmpty(res, 200);
    })
    .add('POST', '/networks/{id}/disconnect', async ({ req, res, params }) => {
      const body = await readJson<{ Container?: string; Force?: boolean }>(req);
      if (!body.Container) throw badRequest('Container is required');
      await networks.disconnect(engine.containers.get(body.Container), params.id!, body.Force === true);
      sendEmpty(res, 200);
    });
}
