import { createHash } from 'node:crypto';
import { isDict, type Dict } from './types.js';

/** Keys that change how a service is scheduled or built, not the container itself: they must not force a recreate. */
const KEYS_OUTSIDE_HASH = ['build', 'pull_policy', 'scale', 'depends_on', 'profiles'];

/** The `com.docker.compose.config-hash` of a service: sha256 over its canonical JSON, keys sorted. */
export function serviceConfigHash(service: Dict): string {
  const relevant: Dict = { ...service };
  for (const key of KEYS_OUTSIDE_HASH) delete relevant[key];
  if (isDict(relevant.deploy)) {
    const { replicas: _ignored, ...deploy } = relevant.deploy;
    relevant.deploy = deploy;
  }
  return createHash('sha256').update(stableJson(relevant)).digest('hex');
}

/** JSON with object keys sorted at every depth, so equal models hash equally whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isDict(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}
