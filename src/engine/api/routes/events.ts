import type { EngineContext, } from '../../context.js';
import type { EngineEvent } from '../../events.js';
import { queryFilters } from '../http.js';
import type { Router } from '../router.js';

/** GET /events: past events since `since`, then live ones as JSON lines until `until` or the client leaves. */
export function addEventRoutes(router: Router, engine: EngineContext): void {
  router.add('GET', '/events', async ({ req, res, query }) => {
    const filters = queryFilters(query);
    const matches = (e: EngineEvent): boolean => eventMatches(e, filters);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    const since = query.get('since');
    if (since) for (const e of engine.events.since(Number(since))) if (matches(e)) res.write(JSON.stringify(e) + '\n');
    const until = query.get('until');
    await new Promise<void>((resolve) => {
      const unsubscribe = engine.events.subscribe((e) => {
        if (matches(e)) res.write(JSON.stringify(e) + '\n');
      });
      const done = (): void => {
        unsubscribe();
        resolve();
      };
      req.on('close', done);
      if (until) setTimeout(done, Math.max(0, Number(until) * 1000 - Date.now())).unref();
    });
    res.end();
  });
}

const EVENT_FIELDS: Record<string, (e: EngineEvent) => string[]> = {
  type: (e) => [e.Type],
  event: (e) => [e.Action, e.Action.split(':')[0]!],
  container: (e) => (e.Type === 'container' ? [e.Actor.ID, e.Actor.Attributes.name ?? ''] : []),
  image: (e) => [e.Actor.Attributes.image ?? '', ...(e.Type === 'image' ? [e.Actor.ID] : [])],
  label: (e) => Object.entries(e.Actor.Attributes).flatMap(([k, v]) => [k, `${k}=${v}`]),
};

function eventMatches(event: EngineEvent, filters: Map<string, string[]>): boolean {
  return [...filters].every(([key, values]) => {
    const fields = EVENT_FIELDS[key]?.(event);
    return fields === undefined || values.some((v) => fields.includes(v));
  });
}
