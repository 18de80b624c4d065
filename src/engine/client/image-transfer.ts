/**
 * The CLI's calls for moving images in and out of the engine: pull, push (JSON progress streams), save, load,
 * prune, and the login check. Registry credentials travel in X-Registry-Auth, as the Docker CLI sends them.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { UserError } from '../../errors.js';
import { encodeRegistryAuth, type AuthConfig } from '../../image/registry/credentials.js';
import type { JsonMessage } from '../../image/registry/progress.js';
import { readAll, type HttpClient } from './http-client.js';

const enc = (name: string) => name.split('/').map(encodeURIComponent).join('/');

/** An error the engine reported inside a progress stream (the HTTP status was already 200). */
export class StreamError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'StreamError';
  }
}

function authHeader(auth: AuthConfig | undefined): Record<string, string> {
  return auth ? { 'X-Registry-Auth': encodeRegistryAuth(auth) } : {};
}

/** Yields each JSON message of a progress stream; throws StreamError at an `error` line. */
export async function* jsonMessages(res: IncomingMessage): AsyncGenerator<JsonMessage> {
  let buffered = '';
  const parse = (line: string): JsonMessage | undefined => {
    if (line.trim() === '') return undefined;
    const message = JSON.parse(line) as JsonMessage;
    if (message.error !== undefined || message.errorDetail !== undefined) throw new StreamError(message.errorDetail?.message ?? message.error ?? 'unknown error');
    return message;
  };
  for await (const chunk of res) {
    buffered += (chunk as Buffer).toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const message = parse(line);
      if (message) yield message;
    }
  }
  const last = parse(buffered);
  if (last) yield last;
}

/** POST /images/create?fromImage=: the pull's progress messages. */
export async function pullImage(http: HttpClient, reference: { image: string; tag?: string; platform?: string; auth?: AuthConfig }): Promise<AsyncGenerator<JsonMessage>> {
  const res = await http.stream('POST', '/images/create', {
    query: { fromImage: reference.image, tag: reference.tag, platform: reference.platform },
    headers: authHeader(reference.auth),
  });
  return jsonMessages(res);
}

/** POST /images/{name}/push?tag=: the push's progress messages. */
export async function pushImage(http: HttpClient, name: string, opts: { tag?: string; auth?: AuthConfig } = {}): Promise<AsyncGenerator<JsonMessage>> {
  const res = await http.stream('POST', `/images/${enc(name)}/push`, { query: { tag: opts.tag }, headers: authHeader(opts.auth) });
  return jsonMessages(res);
}

/** GET /images/get?names=…: the archive as a stream. */
export function saveImages(http: HttpClient, names: string[]): Promise<IncomingMessage> {
  return http.stream('GET', '/images/get', { query: { names } });
}

/** POST /images/load: the lines the engine reports ("Loaded image: …"). */
export async function loadImages(http: HttpClient, archive: Readable, quiet = false): Promise<string[]> {
  const res = await http.stream('POST', '/images/load', { rawBody: archive, query: { quiet } });
  const lines: string[] = [];
  for await (const message of jsonMessages(res)) if (message.stream) lines.push(message.stream);
  return lines;
}

export interface PruneResult {
  ImagesDeleted: Array<{ Untagged?: string; Deleted?: string }> | null;
  SpaceReclaimed: number;
}

export function pruneImages(http: HttpClient, opts: { all?: boolean } = {}): Promise<PruneResult> {
  const filters = opts.all ? { dangling: ['false'] } : {};
  return http.json('POST', '/images/prune', { query: { filters: JSON.stringify(filters) } });
}

/** POST /auth: the engine checks the credentials against the registry. */
export function checkAuth(http: HttpClient, auth: AuthConfig): Promise<{ Status: string; IdentityToken?: string }> {
  return http.json('POST', '/auth', { body: auth });
}

/** GET /images/{name}/history */
export async function imageHistory(http: HttpClient, name: string): Promise<Array<{ Id: string; Created: number; CreatedBy: string; Size: number; Comment: string; Tags: string[] | null }>> {
  return JSON.parse(await readAll(await http.stream('GET', `/images/${enc(name)}/history`)));
}
