import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { encodePathStat, PATH_STAT_HEADER } from '../../archive/path-stat.js';
import type { EngineContext } from '../../context.js';
import { archiveContainerPath, extractToContainer, statContainerPath } from '../../containers/ops/archive.js';
import { badRequest, queryBool, sendEmpty } from '../http.js';
import type { Router } from '../router.js';

/** Docker's `/containers/{id}/archive`: HEAD stats a path, GET tars it, PUT extracts a tar into a directory. */
export function addArchiveRoutes(router: Router, engine: EngineContext): void {
  const find = (id: string) => engine.containers.get(id);
  router
    .add('HEAD', '/containers/{id}/archive', async ({ res, params, query }) => {
      const stat = await statContainerPath(engine, find(params.id!), pathOf(query));
      res.writeHead(200, { [PATH_STAT_HEADER]: encodePathStat(stat) });
      res.end();
    })
    .add('GET', '/containers/{id}/archive', async ({ res, params, query }) => {
      const { stat, tar } = await archiveContainerPath(engine, find(params.id!), pathOf(query));
      res.writeHead(200, { 'Content-Type': 'application/x-tar', [PATH_STAT_HEADER]: encodePathStat(stat) });
      await pipeline(Readable.from(tar), res).catch((e: unknown) => {
        // A client that hung up early is not the engine's failure.
        if ((e as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw e;
      });
    })
    .add('PUT', '/containers/{id}/archive', async ({ req, res, params, query }) => {
      await extractToContainer(engine, find(params.id!), pathOf(query), req, { noOverwriteDirNonDir: queryBool(query, 'noOverwriteDirNonDir') });
      sendEmpty(res, 200);
    });
}

function pathOf(query: URLSearchParams): string {
  const path = query.get('path');
  if (!path) throw badRequest('path is required');
  return path;
}
