/**
 * POST /build (JSON body, see src/build/request.ts; progress as Docker's JSON message stream, the image ID in an
 * `aux` message) and POST /build/prune (forgets the build cache and deletes the step images no one uses).
 */
import { build } from '../../../build/builder.js';
import { BuildRequestSchema } from '../../../build/request.js';
import type { EngineContext } from '../../context.js';
import { badRequest, readJson, sendJson, streamProgress } from '../http.js';
import type { Router } from '../router.js';

export function addBuildRoutes(router: Router, engine: EngineContext): void {
  router
    .add('POST', '/build', async ({ req, res }) => {
      const parsed = BuildRequestSchema.safeParse(await readJson<unknown>(req));
      if (!parsed.success) throw badRequest(`invalid build request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      await streamProgress(res, async (send) => {
        const result = await build(engine, engine.buildCache, parsed.data, send);
        for (const tag of parsed.data.tags) engine.events.publish('image', 'tag', result.imageId, { name: tag });
      });
    })
    .add('POST', '/build/prune', ({ res }) => {
      const stepImages = engine.buildCache.imageIds();
      engine.buildCache.clear();
      const used = new Set(engine.containers.all().map((c) => c.imageId));
      let reclaimed = 0;
      const deleted: string[] = [];
      for (const image of engine.images.list()) {
        if (!stepImages.has(image.id) || image.repoTags.length > 0 || used.has(image.id)) continue;
        reclaimed += image.size;
        deleted.push(...engine.images.remove(image.id, { force: true }).deleted);
      }
      sendJson(res, 200, { CachesDeleted: deleted, SpaceReclaimed: reclaimed });
    });
}
