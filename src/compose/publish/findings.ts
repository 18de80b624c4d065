/**
 * What a user should look at before publishing: bind mounts (they name paths of this machine) and env
 * declarations (env_file, literal values of sensitive-looking keys). Each kind is gathered across all services,
 * so that one prompt lists every finding.
 */
import { isDict, type Dict } from '../types.js';
import { servicesOf, type SourceFile } from './source-files.js';
import { compareText } from '../../util/compare-text.js';

/** Service name → its bind mounts as `source:target:mode[,options]`. */
export function bindMountFindings(allServices: Dict): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [name, service] of Object.entries(allServices).sort(([a], [b]) => compareText(a, b))) {
    const volumes = isDict(service) && Array.isArray(service.volumes) ? service.volumes : [];
    const binds = volumes.filter((v): v is Dict => isDict(v) && v.type === 'bind').map(describeBind);
    if (binds.length > 0) found.set(name, binds);
  }
  return found;
}

function describeBind(volume: Dict): string {
  const bind = isDict(volume.bind) ? volume.bind : {};
  const options = [volume.read_only === true ? 'ro' : 'rw', bind.selinux, bind.propagation].filter((o): o is string => typeof o === 'string' && o !== '');
  return `${String(volume.source ?? '')}:${String(volume.target ?? '')}:${options.join(',')}`;
}

export interface EnvFindings {
  envFile: boolean;
  literalKeys: Set<string>;
}

/** Service name → its env findings, from the files as written (an interpolated value is not a literal). */
export function envFindings(files: SourceFile[]): Map<string, EnvFindings> {
  const found = new Map<string, EnvFindings>();
  for (const file of files) {
    for (const [name, service] of servicesOf(file)) {
      const envFile = declaresEnvFile(service.env_file);
      const literals = literalSensitiveKeys(service.environment);
      if (!envFile && literals.length === 0) continue;
      const entry = found.get(name) ?? { envFile: false, literalKeys: new Set<string>() };
      entry.envFile ||= envFile;
      for (const key of literals) entry.literalKeys.add(key);
      found.set(name, entry);
    }
  }
  return new Map([...found].sort(([a], [b]) => compareText(a, b)));
}

function declaresEnvFile(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  if (Array.isArray(value)) return value.length > 0;
  return isDict(value);
}

/** `environment` as list (`KEY=value`, `KEY`) or mapping; `KEY` alone or null takes the value from the shell. */
function environmentEntries(environment: unknown): Array<[string, unknown]> {
  if (isDict(environment)) return Object.entries(environment);
  if (!Array.isArray(environment)) return [];
  return environment
    .filter((e): e is string => typeof e === 'string')
    .map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, null]));
}

function literalSensitiveKeys(environment: unknown): string[] {
  return environmentEntries(environment)
    .filter(([key, value]) => isSensitiveKey(key) && isLiteral(value))
    .map(([key]) => key);
}

/** A value written out in the file; `${VAR}` / `$VAR` stay symbolic (`$$` is an escaped, literal dollar). */
export function isLiteral(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  const text = String(value).replaceAll('$$', '');
  return text !== '' && !/\$(\{|[A-Za-z_])/.test(text);
}

const SENSITIVE_WORDS = /(password|passwd|passphrase|secret|token|credential|apikey|privatekey|accesskey)/;
const SENSITIVE_PARTS = new Set(['pass', 'pwd', 'key', 'auth']);

/** Names people give to passwords, tokens and keys: DB_PASSWORD, API_KEY, githubToken, MYSQL_ROOT_PASSWORD. */
export function isSensitiveKey(key: string): boolean {
  if (SENSITIVE_WORDS.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''))) return true;
  const parts = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/);
  return parts.some((p) => SENSITIVE_PARTS.has(p));
}
