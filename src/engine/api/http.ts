import type { IncomingMessage, ServerResponse } from 'node:http';
import { UserError } from '../../errors.js';

/** An error with the HTTP status Docker's API gives it; the body is `{"message": ...}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (message: string): ApiError => new ApiError(404, message);
export const conflict = (message: string): ApiError => new ApiError(409, message);
export const badRequest = (message: string): ApiError => new ApiError(400, message);

/** Status for anything a handler throws: API errors keep theirs, user mistakes are 400, the rest 500. */
export function statusOf(error: unknown): number {
  if (error instanceof ApiError) return error.status;
  const declared = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof declared === 'number') return declared;
  if (error instanceof UserError) return 400;
  return 500;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

export function sendError(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, statusOf(error), { message });
}

/** Reads a JSON body (empty body = `{}`), limited in size so a client cannot exhaust the engine's memory. */
export async function readJson<T>(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw badRequest('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw badRequest('invalid JSON body');
  }
}

/** Docker's boolean query values: 1/true/True. */
export function queryBool(query: URLSearchParams, name: string, fallback = false): boolean {
  const value = query.get(name);
  if (value === null) return fallback;
  return value === '1' || value.toLowerCase() === 'true';
}

export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw badRequest(`invalid ${name}: ${value}`);
  return n;
}

/** Docker's `filters` query: JSON of name → list of values (or the legacy name → {value: true} form). */
export function queryFilters(query: URLSearchParams): Map<string, string[]> {
  const raw = query.get('filters');
  const out = new Map<string, string[]>();
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('invalid filters');
  }
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    out.set(key, Array.isArray(value) ? value.map(String) : Object.keys(value as object));
  }
  return out;
}

/**
 * Docker's progress stream: 200 at once, then one JSON message per line; a failure after that point is the
 * last line, `{"errorDetail":{"message":…},"error":…}`, since the status is already sent. A user error keeps
 * its position (a Dockerfile's file:line).
 */
export async function streamProgress<M extends object>(res: ServerResponse, work: (send: (m: M) => void) => Promise<void>): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const send = (message: object) => {
    if (!res.writableEnded && !res.destroyed) res.write(JSON.stringify(message) + '\r\n');
  };
  try {
    await work(send);
  } catch (e) {
    const message = e instanceof UserError ? e.describe() : e instanceof Error ? e.message : String(e);
    send({ errorDetail: { message }, error: message });
  }
  res.end();
}
