import type { LoadedProject } from '../../../compose/loader.js';
import { isDict } from '../../../compose/types.js';
import { buildServiceGraph, withDependencies as graphWithDependencies, type ServicesWithDependencies } from '../../../graph/index.js';
import { UserError } from '../../../errors.js';

/** The services named plus everything they depend on, as `up SERVICE` starts them. */
export function withDependencies(project: LoadedProject, services: string[]): string[] {
  const all = isDict(project.model.services) ? project.model.services : {};
  return graphWithDependencies(buildServiceGraph(all as ServicesWithDependencies), services);
}

/** `--scale web=3`. */
export function parseScale(values: string[]): Record<string, number> {
  return Object.fromEntries(
    values.map((v) => {
      const [service, count] = v.split('=');
      const n = Number(count);
      if (!service || !Number.isInteger(n) || n < 0) throw new UserError(`invalid --scale ${v}: use SERVICE=NUM`);
      return [service, n];
    }),
  );
}
