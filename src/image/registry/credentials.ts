/**
 * Registry credentials as Docker keeps them: `auths` in ~/.docker/config.json (or $DOCKER_CONFIG/config.json),
 * each entry's `auth` = base64("user:password"), Docker Hub under "https://index.docker.io/v1/". The CLI reads
 * them and sends them with each request in the `X-Registry-Auth` header (base64url JSON), as the Docker CLI
 * does: the engine runs as root and never reads a user's file.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { DEFAULT_DOMAIN } from '../reference.js';

/** Docker's AuthConfig (the JSON in X-Registry-Auth and the body of POST /auth). */
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  email?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string; [other: string]: unknown }>;
  [other: string]: unknown;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker'), 'config.json');
}

/** The `auths` key of a registry: Docker Hub's legacy URL, else the host[:port] as typed. */
export function authKeyFor(domain: string): string {
  return domain === DEFAULT_DOMAIN || domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? DOCKER_HUB_AUTH_KEY : domain;
}

/** "https://host:5000/v1/" → "host:5000", the form entries are matched by. */
function hostOfKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

function readConfigFile(path: string): DockerConfigFile {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DockerConfigFile;
  } catch (e) {
    throw new UserError(`loading config file ${path}: ${(e as Error).message}`);
  }
}

/** The stored credentials for a registry (by its reference domain), or undefined. */
export function readCredentials(domain: string, env: NodeJS.ProcessEnv = process.env): AuthConfig | undefined {
  const auths = readConfigFile(dockerConfigPath(env)).auths ?? {};
  const key = authKeyFor(domain);
  const wanted = hostOfKey(key);
  const entry = auths[key] ?? Object.entries(auths).find(([k]) => hostOfKey(k) === wanted)?.[1];
  if (!entry) return undefined;
  const config: AuthConfig = { serveraddress: key };
  if (entry.auth) Object.assign(config, decodeBasic(entry.auth));
  if (entry.identitytoken) config.identitytoken = entry.identitytoken;
  return config.username !== undefined || config.identitytoken !== undefined ? config : undefined;
}

/**
 * Every stored credential, by registry domain as references name it (`docker.io` for Docker Hub): what a build
 * needs, since only the engine learns which registries its FROM lines name (the Docker CLI sends them all too).
 */
export function readAllCredentials(env: NodeJS.ProcessEnv = process.env): Record<string, AuthConfig> {
  const out: Record<string, AuthConfig> = {};
  for (const key of Object.keys(readConfigFile(dockerConfigPath(env)).auths ?? {})) {
    const domain = key === DOCKER_HUB_AUTH_KEY ? DEFAULT_DOMAIN : hostOfKey(key);
    const config = readCredentials(domain, env);
    if (config) out[domain] = config;
  }
  return out;
}

/** The file holds secrets: owner-only, as Docker writes it. */
function writeConfigFile(path: string, config: DockerConfigFile): void {
  writeFileAtomic(path, JSON.stringify(config, null, '\t') + '\n', 0o600);
}

function decodeBasic(auth: string): { username: string; password: string } {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon === -1) throw new UserError('invalid auth configuration file: auth has no "user:password" form');
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** `login`: writes (or replaces) the entry, keeping everything else in the file. */
export function storeCredentials(domain: string, username: string, password: string, env: NodeJS.ProcessEnv = process.env): string {
  const path = dockerConfigPath(env);
  const config = readConfigFile(path);
  config.auths = { ...config.auths, [authKeyFor(domain)]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeConfigFile(path, config);
  return path;
}

/** `logout`: removes the entry; false when there was none. */
export function removeCredentials(domain: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const path = dockerConfigPath(env);
  const config = readConfigFile(path);
  const wanted = hostOfKey(authKeyFor(domain));
  const keys = Object.keys(config.auths ?? {}).filter((k) => hostOfKey(k) === wanted);
  if (keys.length === 0) return false;
  for (const key of keys) delete config.auths![key];
  writeConfigFile(path, config);
  return true;
}

/** X-Registry-Auth: base64url of the JSON AuthConfig. */
export function encodeRegistryAuth(auth: AuthConfig): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64url');
}

/** Reads X-Registry-Auth (base64url or standard base64, as clients differ); an empty or `{}` header = anonymous. */
export function decodeRegistryAuth(header: string | undefined): AuthConfig | undefined {
  if (!header) return undefined;
  try {
    const config = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as AuthConfig;
    if (config.auth && config.username === undefined) Object.assign(config, decodeBasic(config.auth));
    return config.username || config.identitytoken || config.registrytoken ? config : undefined;
  } catch {
    throw new UserError('invalid X-Registry-Auth header');
  }
}
