import { actualContainers } from '../../../compose/project/actual.js';
import { buildServiceGraph, traverseGraph, type ServicesWithDependencies } from '../../../graph/index.js';
import { isDict, type Dict } from '../../../compose/types.js';
import { renderForConfig } from '../../../compose/emit/index.js';
import { runExecHooks } from '../../../compose/project/hooks.js';
import type { ComposeContext } from './context.js';

/** Stops the services' containers in reverse dependency order (dependents first), as `stop` and Ctrl-C on `up` do. */
export async function stopProject(ctx: ComposeContext, services: string[], timeout?: number, hookOutput?: (container: string, line: string) => void): Promise<void> {
  const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => !c.oneoff && services.includes(c.service));
  const model = isDict(ctx.project.model.services) ? ctx.project.model.services : {};
  const graph = buildServiceGraph(model as ServicesWithDependencies);
  const known = services.filter((s) => s in model);
  const hookFailures: Error[] = [];
  await traverseGraph(
    graph,
    async (service) => {
      await Promise.all(
        containers
          .filter((c) => c.service === service && c.state !== 'created')
          .map(async (c) => {
            ctx.progress({ kind: 'Container', name: c.name, status: 'Stopping' });
            if (c.state === 'exited' || c.state === 'dead') return ctx.progress({ kind: 'Container', name: c.name, status: 'Stopped', done: true });
            // a failing pre_stop hook is reported, and the container is stopped all the same
            const relay = hookOutput ? (line: string) => hookOutput(c.name, line) : undefined;
            await runExecHooks(ctx.engine, c.id, c.service, configOf(ctx, c.service), 'pre_stop', relay).catch((e: unknown) => hookFailures.push(e as Error));
            await ctx.engine.stopContainer(c.id, timeout);
            ctx.progress({ kind: 'Container', name: c.name, status: 'Stopped', done: true });
          }),
      );
    },
    { direction: 'down', subset: known, ...(ctx.concurrency ? { concurrency: ctx.concurrency } : {}) },
  );
  if (hookFailures.length) throw hookFailures[0];
}

/** The service's config as `config` renders it (the hooks' commands in their long form). */
function configOf(ctx: ComposeContext, service: string): Dict {
  const rendered = renderForConfig(ctx.project.model);
  const services = isDict(rendered.services) ? rendered.services : {};
  return isDict(services[service]) ? services[service] : {};
}
