import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { imageHistory, imageSummary, inspectImage } from '../../../image/image-inspect.js';
import type { EngineContext } from '../../context.js';
import { badRequest, queryBool, sendJson } from '../http.js';
import type { Router } from '../router.js';

export function addImageRoutes(router: Router, engine: EngineContext): void {
  const images = engine.images;
  router
    .add('GET', '/images/json', ({ res }) => sendJson(res, 200, images.list().map(imageSummary)))
    .add('GET', '/images/{name*}/json', ({ res, params }) => sendJson(res, 200, inspectImage(images, images.get(params.name!))))
    .add('GET', '/images/{name*}/history', ({ res, params }) => sendJson(res, 200, imageHistory(images, images.get(params.name!))))
    .add('POST', '/images/{name*}/tag', ({ res, params, query }) => {
      const repo = query.get('repo');
      if (!repo) throw badRequest('repository name is required');
      images.tag(params.name!, query.get('tag') ? `${repo}:${query.get('tag')}` : repo);
      engine.events.publish('image', 'tag', images.get(params.name!).id, { name: repo });
      sendJson(res, 201, {});
    })
    .add('DELETE', '/images/{name*}', ({ res, params, query }) => {
      const result = images.remove(params.name!, {
        force: queryBool(query, 'force'),
        inUse: (imageId) => {
          const user = engine.containers.all().find((c) => c.imageId === imageId);
          return user ? { containerId: user.id, running: engine.running.has(user.id) } : undefined;
        },
      });
      for (const id of result.deleted) engine.events.publish('image', 'delete', id);
      sendJson(res, 200, [...result.untagged.map((Untagged) => ({ Untagged })), ...result.deleted.map((Deleted) => ({ Deleted }))]);
    })
    // `docker import`: the request body is the rootfs tarball.
    .add('POST', '/images/create', async ({ req, res, query }) => {
      if (query.get('fromSrc') !== '-') throw badRequest('pulling images from a registry is not supported yet; import a rootfs with fromSrc=-');
      const repo = query.get('repo');
      const reference = repo ? (query.get('tag') ? `${repo}:${query.get('tag')}` : repo) : undefined;
      const scratch = join(engine.config.root, 'tmp');
      mkdirSync(scratch, { recursive: true });
      const upload = join(scratch, `import-${randomBytes(8).toString('hex')}.tar`);
      try {
        await pipeline(req, createWriteStream(upload));
        const record = await images.importRootfs(upload, {
          ...(reference ? { reference } : {}),
          changes: query.getAll('changes'),
          message: query.get('message') ?? '',
        });
        engine.events.publish('image', 'import', record.id, reference ? { name: reference } : {});
        sendJson(res, 200, { status: record.id });
      } finally {
        rmSync(upload, { force: true });
      }
    });
}
