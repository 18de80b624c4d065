import { UserError } from '../../errors.js';
import { describePath, patternTable } from '../canonical/path-pattern.js';
import { isDict, type ModelPath } from '../types.js';

/** Says which entries of a sequence define "the same thing"; a later one replaces an earlier one in its place. */
type KeyOf = (entry: unknown, path: ModelPath) => string;

/** `KEY=VALUE` or a plain string: the part before `=`. */
const keyBeforeEquals: KeyOf = (entry, path) => {
  if (typeof entry === 'object') throw new UserError(`${describePath(path)}: expected a string, got ${JSON.stringify(entry)}`);
  const text = String(entry);
  const eq = text.indexOf('=');
  return eq < 0 ? text : text.slice(0, eq);
};

const asText: KeyOf = (entry) => String(entry);

function field(name: string): KeyOf {
  return (entry, path) => {
    if (!isDict(entry) || entry[name] === undefined) throw new UserError(`${describePath(path)}: missing ${name}`);
    return String(entry[name]);
  };
}

/** Ports are the same binding when host IP, published port, target and protocol all match. */
const portKey: KeyOf = (entry, path) => {
  if (typeof entry === 'string') return entry; // left as written when uninterpolated (config --no-interpolate)
  if (!isDict(entry) || entry.target === undefined) throw new UserError(`${describePath(path)}: missing target port`);
  const hostIp = entry.host_ip ?? '0.0.0.0';
  const published = entry.published ?? '';
  return `${String(hostIp)}:${String(published)}:${String(entry.target)}/${String(entry.protocol ?? 'tcp')}`;
};

/** Secrets and configs are the same mount when they land at the same place in the container. */
function mountKey(defaultDir: string): KeyOf {
  return (entry, path) => {
    if (!isDict(entry)) throw new UserError(`${describePath(path)}: expected a mapping`);
    const target = entry.target ?? entry.source;
    const text = String(target);
    return text.startsWith('/') ? text : `${defaultDir}/${text}`;
  };
}

const UNIQUE_BY = patternTable<KeyOf>({
  'services.*.build.platform': keyBeforeEquals,
  'services.*.build.platforms': keyBeforeEquals,
  'services.*.build.ssh': keyBeforeEquals,
  'services.*.build.tags': keyBeforeEquals,
  'services.*.cap_add': keyBeforeEquals,
  'services.*.cap_drop': keyBeforeEquals,
  'services.*.configs': mountKey(''),
  'services.*.devices': field('target'),
  'services.*.dns': keyBeforeEquals,
  'services.*.dns_opt': keyBeforeEquals,
  'services.*.dns_search': keyBeforeEquals,
  'services.*.env_file': field('path'),
  'services.*.expose': asText,
  'services.*.links': keyBeforeEquals,
  'services.*.networks.*.aliases': keyBeforeEquals,
  'services.*.networks.*.link_local_ips': keyBeforeEquals,
  'services.*.ports': portKey,
  'services.*.profiles': keyBeforeEquals,
  'services.*.secrets': mountKey('/run/secrets'),
  'services.*.tmpfs': keyBeforeEquals,
  'services.*.volumes': field('target'),
});

/** Removes redefinitions from the sequences listed above: the last definition wins, at the first one's place. */
export function enforceUnicity(value: unknown, path: ModelPath): unknown {
  if (isDict(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, enforceUnicity(child, [...path, key])]));
  }
  if (!Array.isArray(value)) return value;
  const keyOf = UNIQUE_BY.lookup(path);
  if (!keyOf) return value;
  const kept: unknown[] = [];
  const indexByKey = new Map<string, number>();
  value.forEach((entry, i) => {
    const key = keyOf(entry, [...path, i]);
    const at = indexByKey.get(key);
    if (at === undefined) indexByKey.set(key, kept.push(entry) - 1);
    else kept[at] = entry;
  });
  return kept;
}
