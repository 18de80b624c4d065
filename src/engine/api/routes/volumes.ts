/** Docker's `/volumes` endpoints: list, create, inspect, remove, prune. */
import type { CreateVolumeRequest } from '../../../volume/types.js';
import type { EngineContext } from '../../context.js';
import { queryBool, queryFilters, readJson, sendEmpty, sendJson } from '../http.js';
import type { Router } from '../router.js';

export function addVolumeRoutes(router: Router, engine: EngineContext): void {
  const volumes = engine.volumes;
  const store = volumes.store;
  router
    .add('GET', '/volumes', ({ res, query }) => {
      sendJson(res, 200, { Volumes: store.list(queryFilters(query)).map((v) => store.view(v)), Warnings: [] });
    })
    .add('POST', '/volumes/create', async ({ req, res }) => {
      const { volume, created } = store.create(await readJson<CreateVolumeRequest>(req));
      if (created) engine.events.publish('volume', 'create', volume.name, { driver: volume.driver });
      sendJson(res, 201, store.view(volume));
    })
    .add('POST', '/volumes/prune', async ({ res, query }) => {
      const result = await volumes.pruneVolumes(queryFilters(query));
      sendJson(res, 200, { VolumesDeleted: result.deleted, SpaceReclaimed: result.reclaimedBytes });
    })
    .add('GET', '/volumes/{name}', ({ res, params }) => sendJson(res, 200, store.view(store.get(params.name!))))
    .add('DELETE', '/volumes/{name}', async ({ res, params, query }) => {
      await volumes.removeVolume(params.name!, queryBool(query, 'force'));
      sendEmpty(res, 204);
    });
}
