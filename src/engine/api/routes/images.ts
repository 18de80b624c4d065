import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { loadArchive } from '../../../image/archive/load.js';
import { saveImages, selectImages } from '../../../image/archive/save.js';
import { imageHistory, imageSummary, inspectImage } from '../../../image/image-inspect.js';
import { parseReference, referenceString } from '../../../image/reference.js';
import { checkLogin, decodeRegistryAuth, parsePlatform, pullImage, pushImage, type AuthConfig } from '../../../image/registry/index.js';
import type { EngineContext } from '../../context.js';
import { badRequest, queryBool, queryFilters, readJson, sendJson, streamProgress } from '../http.js';
import type { Router } from '../router.js';

export function addImageRoutes(router: Router, engine: EngineContext): void {
  const images = engine.images;
  router
    .add('GET', '/images/json', ({ res, query }) => sendJson(res, 200, visibleImages(engine, queryBool(query, 'all')).map(imageSummary)))
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
    .add('POST', '/images/{name*}/push', ({ req, res, params, query }) => {
      const tag = query.get('tag');
      const reference = tag ? `${params.name!}:${tag}` : params.name!;
      parseReference(reference); // an invalid name is a 400, before the stream starts
      const auth = registryAuth(req);
      return streamProgress(res, async (send) => {
        await pushImage(images, reference, { ...(auth ? { auth } : {}), onProgress: send });
        engine.events.publish('image', 'push', referenceString(parseReference(reference)));
      });
    })
    .add('GET', '/images/get', ({ res, query }) => sendArchive(res, engine, query.getAll('names')))
    .add('GET', '/images/{name*}/get', ({ res, params }) => sendArchive(res, engine, [params.name!]))
    .add('POST', '/images/load', async ({ req, res }) => {
      const loaded = await loadArchive(images, req);
      const lines = loaded.flatMap(({ image, tags }) => {
        engine.events.publish('image', 'load', image.id);
        return tags.length ? tags.map((t) => `Loaded image: ${t}\n`) : [`Loaded image ID: ${image.id}\n`];
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(lines.map((stream) => JSON.stringify({ stream }) + '\n').join(''));
    })
    .add('POST', '/images/prune', ({ res, query }) => sendJson(res, 200, pruneImages(engine, query)))
    .add('POST', '/auth', async ({ req, res }) => {
      await checkLogin(await readJson<AuthConfig>(req));
      sendJson(res, 200, { Status: 'Login Succeeded', IdentityToken: '' });
    })
    // `docker pull` (fromImage) or `docker import` (fromSrc=-, the request body is the rootfs tarball).
    .add('POST', '/images/create', async ({ req, res, query }) => {
      if (query.get('fromImage')) return pull(engine, req, res, query);
      if (query.get('fromSrc') !== '-') throw badRequest('fromImage or fromSrc=- is required');
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

/** Credentials the client sent (X-Registry-Auth), decoded; undefined = anonymous. */
function registryAuth(req: IncomingMessage): AuthConfig | undefined {
  const header = req.headers['x-registry-auth'];
  return decodeRegistryAuth(Array.isArray(header) ? header[0] : header);
}

/** fromImage + tag (a tag or a digest) as one reference; no tag means "latest". */
function pullReference(query: URLSearchParams): string {
  const fromImage = query.get('fromImage')!;
  const tag = query.get('tag');
  if (!tag) return fromImage;
  return tag.startsWith('sha256:') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`;
}

function pull(engine: EngineContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const reference = pullReference(query);
  parseReference(reference);
  const platformText = query.get('platform');
  const platform = platformText ? parsePlatform(platformText) : undefined;
  const auth = registryAuth(req);
  return streamProgress(res, async (send) => {
    const result = await pullImage(engine.images, reference, { ...(platform ? { platform } : {}), ...(auth ? { auth } : {}), onProgress: send });
    engine.events.publish('image', 'pull', referenceString(parseReference(reference)), { name: result.reference });
  });
}

/** `docker save`: names are checked before the 200 (a missing image is a 404), then the tar streams. */
async function sendArchive(res: ServerResponse, engine: EngineContext, names: string[]): Promise<void> {
  selectImages(engine.images, names);
  res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  try {
    await saveImages(engine.images, names, res);
    res.end();
  } catch (e) {
    res.destroy(e as Error); // the client sees a truncated archive, not a valid one
  }
}

/** `docker image prune`: dangling images (untagged), or with dangling=false every image no container uses. */
function pruneImages(engine: EngineContext, query: URLSearchParams): { ImagesDeleted: Array<{ Untagged?: string; Deleted?: string }>; SpaceReclaimed: number } {
  const filters = queryFilters(query);
  for (const name of filters.keys()) if (name !== 'dangling') throw badRequest(`invalid filter '${name}'`);
  const danglingValue = filters.get('dangling')?.[0] ?? 'true';
  const danglingOnly = !['false', '0'].includes(danglingValue.toLowerCase());
  const used = new Set(engine.containers.all().map((c) => c.imageId));
  const deleted: Array<{ Untagged?: string; Deleted?: string }> = [];
  let reclaimed = 0;
  const buildSteps = engine.buildCache.imageIds(); // the build cache has its own prune
  for (const image of engine.images.list()) {
    if (used.has(image.id) || buildSteps.has(image.id) || (danglingOnly && image.repoTags.length > 0)) continue;
    const result = engine.images.remove(image.id, { force: true });
    reclaimed += image.size;
    deleted.push(...result.untagged.map((Untagged) => ({ Untagged })), ...result.deleted.map((Deleted) => ({ Deleted })));
    for (const id of result.deleted) engine.events.publish('image', 'delete', id);
  }
  return { ImagesDeleted: deleted, SpaceReclaimed: reclaimed };
}

/** `images` hides the untagged images of build steps (the build cache), as Docker hides intermediate images; `-a` shows them. */
function visibleImages(engine: EngineContext, all: boolean) {
  const list = engine.images.list();
  if (all) return list;
  const buildSteps = engine.buildCache.imageIds();
  return list.filter((image) => image.repoTags.length > 0 || !buildSteps.has(image.id));
}
