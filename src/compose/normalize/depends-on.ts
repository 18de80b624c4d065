import { isDict, type Dict } from '../types.js';

const SERVICE_PREFIX = 'service:';
const CONTAINER_PREFIX = 'container:';

/** Attributes whose `service:<name>` value shares a namespace with another service, so must start after it. */
const NAMESPACE_KEYS = ['network_mode', 'ipc', 'pid', 'uts', 'cgroup'] as const;

/** An implicit dependency: the service it names and whether a restart of it restarts this one. */
interface ImplicitDependency {
  name: string;
  restart: boolean;
}

/** Where compose-go infers dependencies from (links, shared namespaces, volumes_from), in its order. */
const IMPLICIT_SOURCES: ReadonlyArray<(service: Dict) => ImplicitDependency[]> = [
  (s) => strings(s.links).map((link) => ({ name: link.split(':')[0] ?? link, restart: true })),
  (s) =>
    NAMESPACE_KEYS.map((k) => s[k])
      .filter((v): v is string => typeof v === 'string' && v.startsWith(SERVICE_PREFIX))
      .map((v) => ({ name: v.slice(SERVICE_PREFIX.length), restart: true })),
  (s) =>
    strings(s.volumes_from)
      .filter((v) => !v.startsWith(CONTAINER_PREFIX))
      .map((v) => ({ name: v.split(':')[0] ?? v, restart: false })),
];

/**
 * Fills in `depends_on`: explicit entries get their defaults (condition service_started, required true),
 * then implicit ones are added where no explicit entry exists.
 */
export function completeDependsOn(service: Dict): void {
  const dependsOn: Dict = {};
  for (const [name, entry] of Object.entries(dependencyMap(service.depends_on))) {
    const dep: Dict = isDict(entry) ? { ...entry } : {};
    dep.condition ??= 'service_started';
    dep.required ??= true;
    dependsOn[name] = dep;
  }
  for (const source of IMPLICIT_SOURCES) {
    for (const { name, restart } of source(service)) {
      if (!(name in dependsOn)) dependsOn[name] = { condition: 'service_started', restart, required: true };
    }
  }
  if (Object.keys(dependsOn).length > 0) service.depends_on = dependsOn;
}

/** The canonical map form; a plain list (short syntax that escaped canonicalization) is accepted too. */
function dependencyMap(value: unknown): Dict {
  if (isDict(value)) return value;
  if (Array.isArray(value)) return Object.fromEntries(value.filter((v) => typeof v === 'string').map((v) => [v, {}]));
  return {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
