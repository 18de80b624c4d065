import { isDict, type Dict } from './types.js';

/** `*` enables every profile, as in docker compose. */
const ALL_PROFILES = '*';

/**
 * Keeps the services that are active: those without `profiles`, those with an enabled profile, and those named on the
 * command line (naming a service enables it whatever its profiles).
 */
export function applyProfiles(model: Dict, enabled: readonly string[], named: readonly string[] = []): Dict {
  if (!isDict(model.services)) return model;
  const active: Dict = {};
  for (const [name, service] of Object.entries(model.services)) {
    if (isActive(name, service, enabled, named)) active[name] = service;
  }
  return { ...model, services: active };
}

function isActive(name: string, service: unknown, enabled: readonly string[], named: readonly string[]): boolean {
  if (named.includes(name)) return true;
  const profiles = isDict(service) && Array.isArray(service.profiles) ? (service.profiles as string[]) : [];
  if (profiles.length === 0) return true;
  return enabled.includes(ALL_PROFILES) || profiles.some((p) => enabled.includes(p));
}

/** Every profile named anywhere in the model, sorted (for `config --profiles`). */
export function listProfiles(model: Dict): string[] {
  const found = new Set<string>();
  for (const service of Object.values(isDict(model.services) ? model.services : {})) {
    if (isDict(service) && Array.isArray(service.profiles)) for (const p of service.profiles) found.add(String(p));
  }
  return [...found].sort();
}

/** COMPOSE_PROFILES is a comma-separated list; `--profile` flags win when given. */
export function enabledProfiles(flags: readonly string[], variable: string | undefined): string[] {
  if (flags.length > 0) return [...flags];
  return (variable ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
