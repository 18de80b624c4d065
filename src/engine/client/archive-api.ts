/** Typed calls of the engine's container archive API (Docker's `/containers/{id}/archive`), for the CLI and tests. */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { decodePathStat, PATH_STAT_HEADER, type PathStat } from '../archive/path-stat.js';
import { EngineError, type HttpClient } from './http-client.js';

export type { PathStat };

const archivePath = (container: string): string => `/containers/${encodeURIComponent(container)}/archive`;

/** HEAD: the path's stat; a HEAD answer has no body, so a 404 gets Docker's message here. */
export async function statContainerPath(http: HttpClient, container: string, path: string): Promise<PathStat> {
  try {
    const res = await http.stream('HEAD', archivePath(container), { query: { path } });
    res.resume();
    return statOf(res);
  } catch (e) {
    // (a missing container and a missing path look alike then: Docker's client says both in one message)
    if (e instanceof EngineError && e.status === 404) throw new EngineError(404, `No such container:path: ${container}:${path}`);
    throw e;
  }
}

/** GET: the path's stat and its tar, as a stream (the caller consumes it). */
export async function getContainerArchive(http: HttpClient, container: string, path: string): Promise<{ stat: PathStat; tar: IncomingMessage }> {
  const res = await http.stream('GET', archivePath(container), { query: { path } });
  return { stat: statOf(res), tar: res };
}

/** PUT: a tar extracted into the existing directory `path` of the container. */
export async function putContainerArchive(http: HttpClient, container: string, path: string, tar: Readable, opts: { noOverwriteDirNonDir?: boolean } = {}): Promise<void> {
  const res = await http.stream('PUT', archivePath(container), { query: { path, noOverwriteDirNonDir: opts.noOverwriteDirNonDir || undefined }, rawBody: tar });
  res.resume();
  await new Promise((resolve) => res.on('end', resolve));
}

function statOf(res: IncomingMessage): PathStat {
  const stat = decodePathStat(res.headers[PATH_STAT_HEADER]);
  if (!stat) throw new Error('the engine sent no path stat');
  return stat;
}
