/**
 * HTTP to one registry for one set of repository scopes: keep-alive connections, the auth handshake
 * (a 401's WWW-Authenticate → bearer token from its realm, or basic credentials), redirects (blob
 * storage elsewhere: the Authorization header stays home), and retries of network errors and 5xx.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { parseChallenges, type Challenge } from './auth-challenge.js';
import type { AuthConfig } from './credentials.js';
import type { RegistryEndpoint } from './endpoint.js';
import { describeErrorBody, RegistryError, UnauthorizedError } from './errors.js';
import { TransientError, withRetries } from './retry.js';

export interface RegistryRequest {
  method: string;
  /** "/v2/..." under the endpoint, or an absolute URL (an upload's Location). */
  url: string;
  headers?: Record<string, string>;
  /** Made anew for each try, so that a retried request can resend it. */
  body?: () => Buffer | Readable;
  /** Retry network errors and 5xx (default: for GET and HEAD, and requests with a body factory). */
  retry?: boolean;
}

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 16 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }) };
const MAX_REDIRECTS = 5;
const IDLE_TIMEOUT_MS = 60_000;

export class RegistryTransport {
  private authorization: string | undefined;

  constructor(
    readonly endpoint: RegistryEndpoint,
    readonly credentials: AuthConfig | undefined,
    /** e.g. "repository:library/busybox:pull"; sent with token requests. */
    readonly scopes: string[],
  ) {}

  /** Sends the request, authenticating on a 401 once; any status comes back (the caller reads 404 etc.). */
  async send(req: RegistryRequest): Promise<IncomingMessage> {
    const res = await this.sendWithRetries(req);
    if (res.statusCode !== 401) return res;
    const challenges = parseChallenges(headerText(res.headers['www-authenticate']));
    res.resume();
    if (!(await this.authenticate(challenges))) return res; // the caller reads the 401 (its body is dropped)
    return this.sendWithRetries(req);
  }

  /** send, then a RegistryError for any status outside 2xx (401 → UnauthorizedError). */
  async expect(req: RegistryRequest, what: string): Promise<IncomingMessage> {
    const res = await this.send(req);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    throw await this.failure(res, what);
  }

  /** The error for a failed answer, with the registry's own message when it gave one. */
  async failure(res: IncomingMessage, what: string): Promise<RegistryError> {
    const detail = describeErrorBody(await readText(res));
    if (res.statusCode === 401) return new UnauthorizedError(this.credentials ? (detail?.replace(/^unauthorized: /, '') ?? 'authentication required') : 'authentication required');
    return new RegistryError(`${what}: ${detail ?? `${res.statusCode} ${res.statusMessage ?? ''}`.trim()}`, res.statusCode);
  }

  private url(path: string): URL {
    return new URL(path, this.endpoint.baseUrl);
  }

  private sendWithRetries(req: RegistryRequest): Promise<IncomingMessage> {
    const retry = req.retry ?? (req.method === 'GET' || req.method === 'HEAD' || req.body !== undefined);
    return withRetries(
      async () => {
        const res = await this.sendFollowingRedirects(req);
        if ((res.statusCode ?? 0) >= 500 && retry) {
          const detail = await readText(res);
          throw new TransientError(`${req.method} ${this.url(req.url).href}: ${res.statusCode} ${res.statusMessage ?? ''} ${describeErrorBody(detail) ?? ''}`.trim());
        }
        return res;
      },
      retry ? undefined : { attempts: 1, baseDelayMs: 0 },
    );
  }

  private async sendFollowingRedirects(req: RegistryRequest): Promise<IncomingMessage> {
    let url = this.url(req.url);
    const home = url.host;
    for (let hops = 0; ; hops++) {
      const headers: Record<string, string> = { ...req.headers };
      if (this.authorization && url.host === home) headers.Authorization = this.authorization;
      const res = await sendOnce(req.method, url, headers, req.body?.());
      const location = res.headers.location;
      if (!isRedirect(res.statusCode) || !location || hops >= MAX_REDIRECTS) return res;
      res.resume();
      url = new URL(location, url);
    }
  }

  /** Answers a 401: fetches a bearer token or arms basic auth; false when there is nothing to try. */
  private async authenticate(challenges: Challenge[]): Promise<boolean> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer?.params.realm) {
      this.authorization = `Bearer ${await this.fetchToken(bearer)}`;
      return true;
    }
    if (challenges.some((c) => c.scheme === 'basic') && this.credentials?.username !== undefined) {
      const pair = `${this.credentials.username}:${this.credentials.password ?? ''}`;
      this.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      return true;
    }
    return false;
  }

  /** GET realm?service=&scope=… (with basic credentials when we have them), per the distribution token spec. */
  private async fetchToken(challenge: Challenge): Promise<string> {
    if (this.credentials?.registrytoken) return this.credentials.registrytoken;
    const url = new URL(challenge.params.realm!);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    const scopes = new Set([...this.scopes, ...(challenge.params.scope ? challenge.params.scope.split(' ') : [])]);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = {};
    if (this.credentials?.username !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password ?? ''}`).toString('base64')}`;
    }
    const res = await withRetries(async () => {
      const r = await sendOnce('GET', url, headers, undefined);
      if ((r.statusCode ?? 0) >= 500) throw new TransientError(`token server ${url.origin}: ${r.statusCode} ${await readText(r)}`);
      return r;
    });
    const text = await readText(res);
    if (res.statusCode === 401 || res.statusCode === 403) {
      throw new UnauthorizedError(this.credentials ? 'incorrect username or password' : 'authentication required');
    }
    if (res.statusCode !== 200) throw new RegistryError(`token server ${url.origin}: ${res.statusCode} ${text.trim()}`, res.statusCode);
    const body = parseJson(text) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`token server ${url.origin} answered without a token`);
    return token;
  }
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistryError(`invalid JSON from registry: ${text.slice(0, 200)}`);
  }
}

/** One HTTP exchange; resolves at the response headers. Network errors are Docker-worded and retryable. */
function sendOnce(method: string, url: URL, headers: Record<string, string>, body: Buffer | Readable | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const allHeaders: Record<string, string> = { 'User-Agent': 'tscompose', ...headers };
    if (Buffer.isBuffer(body)) allHeaders['Content-Length'] = String(body.length);
    else if (body === undefined && (method === 'PUT' || method === 'POST' || method === 'PATCH')) allHeaders['Content-Length'] ??= '0';
    const req = request(url, { method, headers: allHeaders, agent: url.protocol === 'https:' ? agents.https : agents.http }, (res) => {
      res.setTimeout(IDLE_TIMEOUT_MS, () => res.destroy(new TransientError(`${method} "${url.href}": read timed out`)));
      resolve(res);
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new TransientError(`${method} "${url.href}": timed out`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      const wrapped = new TransientError(`${method} "${url.href}": ${e.code ? `${e.code} ` : ''}${e.message}`, { cause: e });
      reject(e instanceof TransientError ? e : isNetworkError(e) ? wrapped : new RegistryError(wrapped.message));
    });
    if (body instanceof Readable) {
      body.on('error', (e) => req.destroy(e));
      body.pipe(req);
    } else req.end(body);
  });
}

function isNetworkError(e: NodeJS.ErrnoException): boolean {
  return typeof e.code === 'string' && (e.code.startsWith('E') || e.code.startsWith('UND_')) || /socket hang up/.test(e.message);
}

export async function readText(res: IncomingMessage, limit = 4 * 1024 * 1024): Promise<string> {
  return (await readBytes(res, limit)).toString('utf8');
}

/** A whole (small) answer, refused beyond `limit` bytes so a hostile registry cannot fill memory. */
export async function readBytes(res: IncomingMessage, limit = 4 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new RegistryError(`registry answer larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
