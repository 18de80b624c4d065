import { isDeepStrictEqual } from 'node:util';
import { isDict, type Dict } from '../types.js';

/** Keys whose change does not touch the container (they are outside the config hash too). */
const IGNORED = new Set(['build', 'pull_policy', 'scale', 'depends_on', 'profiles']);

/**
 * "ports changed", "environment, image changed": the top-level service keys that differ between the config the
 * container was made from (kept in a label, base64 JSON) and the model now. Users ask why a recreate happens.
 */
export function describeChanges(previousLabel: string | undefined, current: Dict): string {
  const previous = decodeServiceConfig(previousLabel);
  if (!previous) return 'configuration changed';
  const keys = new Set([...Object.keys(previous), ...Object.keys(current)]);
  const changed = [...keys].filter((k) => !IGNORED.has(k) && !isDeepStrictEqual(previous[k], current[k])).sort();
  if (changed.length === 0) return 'configuration changed';
  return `${changed.join(', ')} changed`;
}

export function encodeServiceConfig(config: Dict): string {
  return Buffer.from(JSON.stringify(config)).toString('base64');
}

function decodeServiceConfig(label: string | undefined): Dict | undefined {
  if (!label) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(label, 'base64').toString('utf8')) as unknown;
    return isDict(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
