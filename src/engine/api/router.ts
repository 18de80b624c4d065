import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { notFound } from './http.js';

/** What a handler gets: the request, its path parameters and query. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** A hijacked connection (Docker's attach / exec start upgrade to a raw stream). */
export interface UpgradeContext {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;
export type UpgradeHandler = (ctx: UpgradeContext) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  upgrade?: UpgradeHandler;
}

/** Docker clients prefix paths with the API version (`/v1.45/containers/json`); the route is the same. */
const VERSION_PREFIX = /^\/v\d+\.\d+(?=\/)/;

export class Router {
  private readonly routes: Route[] = [];

  /** `path` uses `{name}` for one segment; `{name*}` for the rest (image names hold slashes). */
  add(method: string, path: string, handler: Handler, upgrade?: UpgradeHandler): this {
    const names: string[] = [];
    const source = path.replace(/\{(\w+)(\*?)\}/g, (_m, name: string, rest: string) => {
      names.push(name);
      return rest ? '(.+?)' : '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler, ...(upgrade ? { upgrade } : {}) });
    return this;
  }

  match(method: string, rawUrl: string): { route: Route; params: Record<string, string>; query: URLSearchParams } {
    const url = new URL(rawUrl, 'http://engine');
    const path = url.pathname.replace(VERSION_PREFIX, '');
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return { route, params, query: url.searchParams };
    }
    throw notFound(`page not found: ${method} ${path}`);
  }
}
