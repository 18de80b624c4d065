import { UserError } from '../errors.js';
import { isDict, type Dict } from './types.js';

/** Rules of a service that the schema cannot say; `up` checks them for the services it starts. */
const SERVICE_RULES: Array<(name: string, service: Dict) => string | undefined> = [
  (name, s) => {
    const h = isDict(s.healthcheck) ? s.healthcheck : undefined;
    return h && h.start_interval !== undefined && h.start_period === undefined
      ? `services.${name}: healthcheck.start_interval requires healthcheck.start_period to be set`
      : undefined;
  },
];

export function checkServiceRules(model: Dict, services: string[]): void {
  for (const [name, service] of Object.entries(isDict(model.services) ? model.services : {}).filter(([n]) => services.includes(n))) {
    for (const rule of SERVICE_RULES) {
      const problem = isDict(service) ? rule(name, service) : undefined;
      if (problem) throw new UserError(problem);
    }
  }
}
