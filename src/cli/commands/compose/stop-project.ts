import { actualContainers } from '../../../compose/project/actual.js';
import { buildServiceGraph, traverseGraph, type ServicesWithDependencies } from '../../../graph/index.js';
import { isDict } from '../../../compose/types.js';
import type { ComposeContext } from './context.js';

/** Stops the services' containers in reverse dependency order (dependents first), as `stop` and Ctrl-C on `up` do. */
export async function stopProject(ctx: ComposeContext, services: string[], timeout?: number): Promise<void> {
  const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => !c.oneoff && services.includes(c.service));
  const model = isDict(ctx.project.model.services) ? ctx.project.model.services : {};
  const graph = buildServiceGraph(model as ServicesWithDependencies);
  const known = services.filter((s) => s in model);
  await traverseGraph(
    graph,
    async (service) => {
      await Promise.all(
        containers
          .filter((c) => c.service === service && (c.state === 'running' || c.state === 'paused' || c.state === 'restarting'))
          .map(async (c) => {
            ctx.progress({ kind: 'Container', name: c.name, status: 'Stopping' });
            await ctx.engine.stopContainer(c.id, timeout);
            ctx.progress({ kind: 'Container', name: c.name, status: 'Stopped', done: true });
          }),
      );
    },
    { direction: 'down', subset: known, ...(ctx.concurrency ? { concurrency: ctx.concurrency } : {}) },
  );
}
