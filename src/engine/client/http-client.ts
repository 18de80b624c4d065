import { request as httpRequest, type IncomingMessage, type RequestOptions as NodeRequestOptions } from 'node:http';
import { connect } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { UserError } from '../../errors.js';

/** An error answer of the engine (its `{"message"}`), with the HTTP status. */
export class EngineError extends UserError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`Error response from daemon: ${message}`);
    this.name = 'EngineError';
  }
}

/** The engine is not listening (yet): distinct so the CLI can start it. */
export class EngineUnreachableError extends UserError {
  constructor(socketPath: string, cause: string) {
    super(`cannot connect to the tscompose engine at unix://${socketPath}: ${cause}. Is the engine running? (tscompose engine start)`);
    this.name = 'EngineUnreachableError';
  }
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown; // JSON-encoded
  rawBody?: Readable; // streamed as is (image import)
  headers?: Record<string, string>;
}

/** HTTP over the engine's UNIX socket: JSON calls, streamed answers, and hijacked connections. */
export class HttpClient {
  constructor(readonly socketPath: string) {}

  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.stream(method, path, opts);
    const text = await readAll(res);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Resolves with the response once its headers arrived; rejects with EngineError on a 4xx/5xx status. */
  stream(method: string, path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ ...this.target(), method, path: withQuery(path, opts.query), headers: headersFor(opts) }, (res) => {
        if ((res.statusCode ?? 500) < 400) return resolve(res);
        readAll(res).then((text) => reject(new EngineError(res.statusCode ?? 500, messageOf(text))), reject);
      });
      req.on('error', (e: NodeJS.ErrnoException) => reject(unreachable(this.socketPath, e)));
      sendBody(req, opts);
    });
  }

  /**
   * A connection of its own per request, made directly: no agent. The agent's pooling gains nothing on a local socket,
   * and its first use costs a short command several ms (it compiles net's IPv6 pattern to name the connection).
   */
  private target(): NodeRequestOptions {
    return { createConnection: () => connect({ path: this.socketPath }) };
  }

  /** Docker's attach / exec start: upgrades the connection to a raw bidirectional stream. */
  hijack(method: string, path: string, opts: RequestOptions = {}): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        ...this.target(),
        method,
        path: withQuery(path, opts.query),
        headers: { ...headersFor(opts), Connection: 'Upgrade', Upgrade: 'tcp' },
      });
      req.on('upgrade', (_res, socket, head) => {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      req.on('response', (res) => readAll(res).then((text) => reject(new EngineError(res.statusCode ?? 500, messageOf(text))), reject));
      req.on('error', (e: NodeJS.ErrnoException) => reject(unreachable(this.socketPath, e)));
      sendBody(req, opts);
    });
  }
}

function headersFor(opts: RequestOptions): Record<string, string> {
  if (opts.body !== undefined) return { 'Content-Type': 'application/json', ...opts.headers };
  if (opts.rawBody) return { 'Content-Type': 'application/x-tar', 'Transfer-Encoding': 'chunked', ...opts.headers };
  return { ...opts.headers };
}

function sendBody(req: import('node:http').ClientRequest, opts: RequestOptions): void {
  if (opts.rawBody) {
    opts.rawBody.pipe(req);
    return;
  }
  req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function messageOf(text: string): string {
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text.trim();
  }
}

function unreachable(socketPath: string, e: NodeJS.ErrnoException): Error {
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED') return new EngineUnreachableError(socketPath, e.code === 'ENOENT' ? 'no such socket' : 'connection refused');
  return e;
}
