import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { isDict, type Dict } from '../types.js';
import { cloneData, matchSlots, setSlot } from './tree.js';

/** Turns one path-holding value into its resolved form; `abs` resolves a single path string. */
type Rewrite = (value: unknown, abs: PathResolver) => unknown;

interface PathResolver {
  /** `~` → home, relative → under the base directory, absolute (Unix or Windows) unchanged. */
  (path: string): string;
}

/**
 * The model locations that hold host paths, after compose-go's paths.ResolveRelativePaths registry
 * (services.*.build.context, additional_contexts, ssh, env_file, label_file, extends.file,
 * develop.watch path, bind volume sources, configs/secrets file, include, local-bind volume devices).
 */
const PATH_RULES: ReadonlyArray<readonly [pattern: string, rewrite: Rewrite]> = [
  ['services.*.build.context', contextPath],
  ['services.*.build.additional_contexts.*', contextPath],
  ['services.*.build.ssh', sshPaths],
  ['services.*.env_file', envFilePaths],
  ['services.*.label_file', pathOrPaths],
  ['services.*.extends.file', extendsFile],
  ['services.*.develop.watch.*.path', plainPath],
  ['services.*.volumes.*', bindSource],
  ['configs.*.file', plainPath],
  ['secrets.*.file', plainPath],
  ['include.*', includeEntry],
  ['volumes.*', localBindDevice],
];

/** A copy of `model` whose relative host paths are absolute, resolved against `baseDir` (`~` against `homeDir`). */
export function resolveRelativePaths(model: Dict, baseDir: string, homeDir: string): Dict {
  const result = cloneData(model);
  const abs = pathResolver(baseDir, homeDir);
  for (const [pattern, rewrite] of PATH_RULES) {
    for (const slot of matchSlots(result, pattern)) setSlot(slot, rewrite(slot.value, abs));
  }
  return result;
}

/** compose-go's ExpandUser + filepath.Join: `~` means the home folder, relative means under baseDir. */
export function pathResolver(baseDir: string, homeDir: string): PathResolver {
  return (path) => {
    const expanded = path.startsWith('~') ? join(homeDir, path.slice(1)) : path;
    if (expanded === '' || isAbsolute(expanded)) return expanded;
    return join(baseDir, expanded);
  };
}

/** Absolute for Unix (`/x`) and for Windows (`C:\x`, `C:/x`, `\\server`): a Windows client may target a Unix daemon and back. */
function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function plainPath(value: unknown, abs: PathResolver): unknown {
  return typeof value === 'string' ? abs(value) : value;
}

function pathOrPaths(value: unknown, abs: PathResolver): unknown {
  return Array.isArray(value) ? value.map((v) => plainPath(v, abs)) : plainPath(value, abs);
}

/** Build contexts may be URLs, git refs, `service:x` or `docker-image://…`: only local folders are paths. */
function contextPath(value: unknown, abs: PathResolver): unknown {
  if (typeof value !== 'string' || isRemoteContext(value)) return value;
  return abs(value);
}

const REMOTE_CONTEXT_PREFIXES = ['https://', 'http://', 'git://', 'ssh://', 'github.com/', 'git@', 'service:'];

function isRemoteContext(value: string): boolean {
  return value.includes('://') || REMOTE_CONTEXT_PREFIXES.some((p) => value.startsWith(p));
}

/** `ssh:` as a mapping `id: path` (canonical) or a list of `id` / `id=path`; `default` without a path stays. */
function sshPaths(value: unknown, abs: PathResolver): unknown {
  if (isDict(value)) {
    return Object.fromEntries(Object.entries(value).map(([id, path]) => [id, typeof path === 'string' && path !== '' ? abs(path) : path]));
  }
  if (!Array.isArray(value)) return value;
  return value.map((entry) => {
    if (typeof entry !== 'string' || !entry.includes('=')) return entry;
    const [id, path] = [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)];
    return `${id}=${abs(path)}`;
  });
}

/** `env_file` as a string, a list of strings, or (canonical) a list of `{path, required}`. */
function envFilePaths(value: unknown, abs: PathResolver): unknown {
  const one = (entry: unknown): unknown =>
    isDict(entry) && typeof entry.path === 'string' ? { ...entry, path: abs(entry.path) } : plainPath(entry, abs);
  return Array.isArray(value) ? value.map(one) : one(value);
}

/** Remote extends (git, oci) are fetched by URL, never joined to a folder. */
function extendsFile(value: unknown, abs: PathResolver): unknown {
  if (typeof value !== 'string' || value.includes('://') || value.startsWith('git@')) return value;
  return abs(value);
}

/** Only bind mounts hold host paths; named volumes, tmpfs, npipe, image keep their source. */
function bindSource(value: unknown, abs: PathResolver): unknown {
  if (!isDict(value) || value.type !== 'bind') return value;
  if (typeof value.source !== 'string' || value.source === '') {
    throw new UserError('invalid mount config for type "bind": field Source must not be empty');
  }
  return { ...value, source: abs(value.source) };
}

/** `include:` entries: a path string, or `{path, project_directory, env_file}` with strings or lists. */
function includeEntry(value: unknown, abs: PathResolver): unknown {
  if (typeof value === 'string') return includeRemote(value) ? value : abs(value);
  if (!isDict(value)) return value;
  const out: Dict = { ...value };
  const local = (v: unknown): unknown => (typeof v === 'string' && includeRemote(v) ? v : plainPath(v, abs));
  if ('path' in out) out.path = Array.isArray(out.path) ? out.path.map(local) : local(out.path);
  if ('project_directory' in out) out.project_directory = plainPath(out.project_directory, abs);
  if ('env_file' in out) out.env_file = pathOrPaths(out.env_file, abs);
  return out;
}

function includeRemote(value: string): boolean {
  return value.includes('://') || value.startsWith('git@');
}

/** A `local` volume with `o: bind` is a bind mount in disguise: its `device` is a host path. */
function localBindDevice(value: unknown, abs: PathResolver): unknown {
  if (!isDict(value) || value.driver !== 'local' || !isDict(value.driver_opts)) return value;
  const opts = value.driver_opts;
  if (opts.o !== 'bind' || typeof opts.device !== 'string') return value;
  return { ...value, driver_opts: { ...opts, device: abs(opts.device) } };
}
