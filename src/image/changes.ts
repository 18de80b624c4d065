/**
 * `image import --change` / `commit --change`: Dockerfile instructions applied to an image's config.
 * The instructions Docker accepts there: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME,
 * STOPSIGNAL, ONBUILD, HEALTHCHECK.
 */
import { posix } from 'node:path';
import { UserError } from '../errors.js';
import { parseGoDuration } from '../util/go-duration.js';
import type { HealthConfig, OciContainerConfig } from './oci-types.js';
import { processWord, splitWords } from './shell-words.js';

type Apply = (config: OciContainerConfig, args: string, keyword: string) => void;

const APPLY: Record<string, Apply> = {
  CMD: (c, args) => (c.Cmd = commandForm(args)),
  ENTRYPOINT: (c, args) => (c.Entrypoint = commandForm(args)),
  ENV: (c, args, keyword) => setEnv(c, keyValues(args, keyword, c.Env)),
  LABEL: (c, args, keyword) => (c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(keyValues(args, keyword, c.Env)) }),
  EXPOSE: (c, args) => (c.ExposedPorts = { ...(c.ExposedPorts ?? {}), ...exposedPorts(args, c.Env) }),
  USER: (c, args) => (c.User = processWord(args, c.Env)),
  WORKDIR: (c, args) => (c.WorkingDir = workdir(c.WorkingDir, processWord(args, c.Env))),
  VOLUME: (c, args) => (c.Volumes = { ...(c.Volumes ?? {}), ...volumes(args, c.Env) }),
  STOPSIGNAL: (c, args) => (c.StopSignal = processWord(args, c.Env)),
  ONBUILD: (c, args) => (c.OnBuild = [...(c.OnBuild ?? []), onBuildTrigger(args)]),
  HEALTHCHECK: (c, args) => (c.Healthcheck = healthcheck(args)),
};

/** Applies each change to a copy of `base`; throws a UserError naming a bad instruction. */
export function applyChanges(changes: string[], base: OciContainerConfig = {}): OciContainerConfig {
  const config: OciContainerConfig = structuredClone(base);
  for (const change of changes) {
    const line = change.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+)\s*([\s\S]*)$/.exec(line)!;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    const apply = APPLY[keyword];
    if (!apply) throw new UserError(`${match[1]!.toLowerCase()} is not a valid change command`);
    if (args === '') throw new UserError(`${keyword} requires at least one argument`);
    apply(config, args, keyword);
  }
  return config;
}

/** JSON array → exec form; anything else → shell form ["/bin/sh", "-c", text]. */
function commandForm(args: string): string[] {
  const exec = jsonStringArray(args);
  return exec ?? ['/bin/sh', '-c', args];
}

function jsonStringArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // not JSON: Docker falls back to the shell form
  }
  return undefined;
}

/** "A=1 B='x y'" or the legacy "A value with spaces". */
function keyValues(args: string, keyword: string, env: string[] | undefined): Array<[string, string]> {
  const words = splitWords(args);
  if (!words[0]!.includes('=')) {
    const value = args.slice(words[0]!.length).trim();
    if (value === '') throw new UserError(`${keyword} must have two arguments`);
    return [[processWord(words[0]!, env), processWord(value, env)]];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new UserError(`Syntax error - can't find = in ${JSON.stringify(word)}. Must be of the form: name=value`);
    return [processWord(word.slice(0, eq), env), processWord(word.slice(eq + 1), env)];
  });
}

function setEnv(config: OciContainerConfig, pairs: Array<[string, string]>): void {
  const env = [...(config.Env ?? [])];
  for (const [key, value] of pairs) {
    const index = env.findIndex((kv) => kv.split('=')[0] === key);
    if (index === -1) env.push(`${key}=${value}`);
    else env[index] = `${key}=${value}`;
    config.Env = env; // later pairs may refer to earlier ones
  }
}

const PORT_SPEC = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/;

/** "80", "53/udp", "8000-8002/tcp" → {"80/tcp": {}, ...} */
export function exposedPorts(args: string, env?: string[]): Record<string, Record<string, never>> {
  const ports: Record<string, Record<string, never>> = {};
  for (const word of splitWords(args).map((w) => processWord(w, env))) {
    const match = PORT_SPEC.exec(word);
    if (!match) throw new UserError(`invalid containerPort: ${word.split('/')[0]}`);
    const proto = (match[3] ?? 'tcp').toLowerCase();
    if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new UserError(`invalid proto: ${proto}`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first > 65535 || last > 65535 || last < first) throw new UserError(`invalid containerPort: ${word.split('/')[0]}`);
    for (let port = first; port <= last; port++) ports[`${port}/${proto}`] = {};
  }
  return ports;
}

function volumes(args: string, env?: string[]): Record<string, Record<string, never>> {
  const paths = jsonStringArray(args) ?? splitWords(args).map((w) => processWord(w, env));
  const result: Record<string, Record<string, never>> = {};
  for (const path of paths) {
    if (path.trim() === '') throw new UserError('VOLUME specified can not be an empty string');
    result[path.trim()] = {};
  }
  return result;
}

/** Relative paths are taken from the current working dir, as Docker does. */
function workdir(current: string | undefined, requested: string): string {
  return posix.normalize(posix.isAbsolute(requested) ? requested : posix.join('/', current ?? '/', requested));
}

function onBuildTrigger(args: string): string {
  const match = /^(\S+)([\s\S]*)$/.exec(args)!;
  const trigger = match[1]!.toUpperCase();
  if (trigger === 'ONBUILD') throw new UserError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (trigger === 'FROM' || trigger === 'MAINTAINER') throw new UserError(`${trigger} isn't allowed as an ONBUILD trigger`);
  return trigger + match[2]!;
}

const HEALTH_FLAGS: Record<string, keyof HealthConfig> = {
  interval: 'Interval',
  timeout: 'Timeout',
  'start-period': 'StartPeriod',
  'start-interval': 'StartInterval',
  retries: 'Retries',
};

/** "HEALTHCHECK [--interval=5s ...] CMD ..." or "HEALTHCHECK NONE". */
function healthcheck(args: string): HealthConfig {
  let rest = args;
  const health: HealthConfig = {};
  for (let flag = /^--([a-z-]+)=(\S*)\s*/.exec(rest); flag; flag = /^--([a-z-]+)=(\S*)\s*/.exec(rest)) {
    const field = HEALTH_FLAGS[flag[1]!];
    if (!field) throw new UserError(`Unknown flag: ${flag[1]}`);
    const value = field === 'Retries' ? Number(flag[2]) : parseDuration(flag[2]!);
    if (!Number.isInteger(value) || value < 0) throw new UserError(`invalid --${flag[1]} value: ${flag[2]}`);
    (health as Record<string, unknown>)[field] = value;
    rest = rest.slice(flag[0].length);
  }
  const [keyword = '', ...tail] = rest.split(/\s+/);
  const command = rest.slice(keyword.length).trim();
  if (keyword.toUpperCase() === 'NONE') {
    if (tail.length > 0 || Object.keys(health).length > 0) throw new UserError('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (keyword.toUpperCase() !== 'CMD' || command === '') throw new UserError('Unknown type "' + keyword + '" in HEALTHCHECK (try CMD)');
  const exec = jsonStringArray(command);
  health.Test = exec ? ['CMD', ...exec] : ['CMD-SHELL', command];
  return health;
}

/** Go's time.ParseDuration, in nanoseconds ("1m30s" → 90e9). */
export function parseDuration(text: string): number {
  const nanos = parseGoDuration(text);
  if (nanos === undefined) throw new UserError(`time: invalid duration "${text}"`);
  return nanos;
}
