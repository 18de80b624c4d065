/**
 * Compose's side of builds: each service's `build:` section as an engine build request, services built in the
 * order their `service:` contexts need (each once per command), reported as `Service <name> Building … Built`.
 */
import { isAbsolute, join } from 'node:path';
import type { EngineApi } from '../../engine/client/engine-api.js';
import { buildImage, type BuildMessage } from '../../engine/client/build-api.js';
import type { BuildRequestInput } from '../../build/request.js';
import type { AuthConfig } from '../../image/registry/credentials.js';
import { UserError } from '../../errors.js';
import { readFileSync } from 'node:fs';
import { isDict, type Dict } from '../types.js';
import type { DesiredProject, DesiredService } from './desired.js';
import type { ProgressSink } from './progress.js';

export interface BuildOptions {
  noCache?: boolean;
  pull?: boolean;
  /** `--build-arg KEY[=VALUE]`: wins over `build.args`. */
  buildArgs?: Record<string, string | undefined>;
  progress: ProgressSink;
  /** The build's own lines (BuildKit-style plain output); absent with -q or a live progress view. */
  output?: (text: string) => void;
  /** Registry credentials (by domain) for the images the Dockerfiles pull. */
  registryAuth?: Record<string, AuthConfig>;
  /** `up` without --build: keep each image unless its build inputs changed since it was built (then rebuild, saying so). */
  onlyIfChanged?: boolean;
}

export const hasBuild = (service: DesiredService): boolean => isDict(service.config.build);

/** The services `service:x` contexts of `service` name (built first). */
function contextServices(service: DesiredService): string[] {
  const build = isDict(service.config.build) ? service.config.build : {};
  const contexts = isDict(build.additional_contexts) ? build.additional_contexts : {};
  return Object.values(contexts).filter((v): v is string => typeof v === 'string' && v.startsWith('service:')).map((v) => v.slice('service:'.length));
}

/** Builds the given services (and the services their contexts name); returns service → image ID. */
export async function buildServices(engine: EngineApi, project: DesiredProject, services: string[], opts: BuildOptions): Promise<Map<string, string>> {
  const built = new Map<string, Promise<string>>();
  const byName = new Map(project.services.map((s) => [s.name, s]));
  const buildOne = (name: string, chain: string[]): Promise<string> => {
    if (chain.includes(name)) throw new UserError(`build contexts form a cycle: ${[...chain, name].join(' -> ')}`);
    let job = built.get(name);
    if (!job) {
      const service = byName.get(name);
      if (!service || !hasBuild(service)) throw new UserError(`service "${name}" has no build section`);
      job = (async () => {
        const contextImages = new Map<string, string>();
        for (const dep of contextServices(service)) contextImages.set(dep, await buildOne(dep, [...chain, name]));
        return buildService(engine, project, service, contextImages, opts);
      })();
      built.set(name, job);
    }
    return job;
  };
  const results = new Map<string, string>();
  // One at a time: the engine runs each build's independent stages in parallel already, and output stays readable.
  for (const name of services) {
    const service = byName.get(name);
    if (service && hasBuild(service)) results.set(name, await buildOne(name, []));
  }
  for (const [name, job] of built) results.set(name, await job);
  return results;
}

async function buildService(engine: EngineApi, project: DesiredProject, service: DesiredService, contextImages: Map<string, string>, opts: BuildOptions): Promise<string> {
  const request = buildRequest(project, service, contextImages, opts);
  // a check that finds the image current prints nothing; a rebuild is announced when the engine starts it
  let announced = !opts.onlyIfChanged;
  if (announced) opts.progress({ kind: 'Service', name: service.name, status: 'Building' });
  let imageId: string | undefined;
  let upToDate = false;
  try {
    for await (const message of await buildImage(engine.http, request)) {
      const aux = (message as BuildMessage).aux;
      if (typeof aux?.rebuilding === 'string') {
        announced = true;
        opts.progress({ kind: 'Service', name: service.name, status: 'Building', detail: `${aux.rebuilding}; --no-build keeps it` });
      }
      if (message.stream && opts.output) opts.output(message.stream);
      else if (message.build && message.build.state !== 'output') opts.progress({ kind: 'Service', name: service.name, status: 'Building', detail: message.build.name });
      if (typeof aux?.ID === 'string') imageId = aux.ID;
      if (aux?.upToDate === true) upToDate = true;
    }
  } catch (e) {
    opts.progress({ kind: 'Service', name: service.name, status: 'Error', detail: 'build failed', done: true, error: true });
    throw new UserError(`failed to build service "${service.name}": ${(e as Error).message}`);
  }
  if (!imageId) throw new UserError(`service "${service.name}": the build ended without an image`);
  if (announced && !upToDate) opts.progress({ kind: 'Service', name: service.name, status: 'Built', done: true });
  return imageId;
}

function buildRequest(project: DesiredProject, service: DesiredService, contextImages: Map<string, string>, opts: BuildOptions): BuildRequestInput {
  const build = service.config.build as Dict;
  const context = typeof build.context === 'string' ? (isAbsolute(build.context) ? build.context : join(project.workingDir, build.context)) : project.workingDir;
  if (/^[a-z]+:\/\//.test(context) || context.startsWith('git@')) throw new UserError(`service "${service.name}": remote build contexts (${context}) are not supported; clone it and point build.context at the folder`);
  const args: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(isDict(build.args) ? build.args : {})) args[key] = value === null || value === undefined ? (project.lookup(key) ?? null) : String(value);
  for (const [key, value] of Object.entries(opts.buildArgs ?? {})) args[key] = value ?? project.lookup(key) ?? null;
  const additionalContexts: Record<string, string> = {};
  for (const [name, value] of Object.entries(isDict(build.additional_contexts) ? build.additional_contexts : {})) {
    const text = String(value);
    if (text.startsWith('service:')) additionalContexts[name] = `image:${contextImages.get(text.slice('service:'.length))!}`;
    else additionalContexts[name] = text.startsWith('docker-image://') || /^[a-z]+:\/\//.test(text) || isAbsolute(text) ? text : join(context, text);
  }
  const tags = [service.image, ...(Array.isArray(build.tags) ? build.tags.map(String) : [])];
  const request: BuildRequestInput = {
    context,
    buildArgs: args,
    tags: [...new Set(tags)],
    labels: labelsOf(build.labels),
    noCache: opts.noCache === true || build.no_cache === true,
    onlyIfChanged: opts.onlyIfChanged === true,
    registryAuth: { ...(opts.registryAuth ?? {}) } as Record<string, Record<string, string>>,
    pull: opts.pull === true || build.pull === true,
    network: typeof build.network === 'string' ? (build.network === 'default' ? '' : build.network) : '',
    extraHosts: extraHostsOf(build.extra_hosts),
    secrets: secretsOf(project, service, build),
    additionalContexts,
  };
  if (typeof build.dockerfile_inline === 'string') request.dockerfileInline = build.dockerfile_inline;
  else if (typeof build.dockerfile === 'string') request.dockerfile = build.dockerfile;
  if (typeof build.target === 'string') request.target = build.target;
  if (typeof build.shm_size === 'number') request.shmSize = build.shm_size;
  return request;
}

function labelsOf(labels: unknown): Record<string, string> {
  if (Array.isArray(labels)) return Object.fromEntries(labels.map((l) => String(l)).map((l) => [l.split('=', 1)[0]!, l.includes('=') ? l.slice(l.indexOf('=') + 1) : '']));
  return isDict(labels) ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v ?? '')])) : {};
}

function extraHostsOf(hosts: unknown): string[] {
  if (Array.isArray(hosts)) return hosts.map(String);
  if (isDict(hosts)) return Object.entries(hosts).flatMap(([host, ips]) => (Array.isArray(ips) ? ips : [ips]).map((ip) => `${host}:${String(ip)}`));
  return [];
}

/** build.secrets: each secret's content (from its file, environment variable or inline content), by target id. */
function secretsOf(project: DesiredProject, service: DesiredService, build: Dict): Record<string, string> {
  const defs = isDict(project.model.secrets) ? project.model.secrets : {};
  const out: Record<string, string> = {};
  for (const entry of Array.isArray(build.secrets) ? build.secrets : []) {
    const ref: Dict = isDict(entry) ? entry : { source: entry };
    const source = String(ref.source);
    const id = typeof ref.target === 'string' ? ref.target : source;
    const def = defs[source];
    if (!isDict(def)) throw new UserError(`service "${service.name}" refers to undefined build secret ${source}`);
    let content: string | Buffer;
    if (typeof def.file === 'string') content = readFileSync(def.file);
    else if (typeof def.environment === 'string') {
      const value = project.lookup(def.environment);
      if (value === undefined) throw new UserError(`environment variable ${def.environment} (build secret "${source}") is not set`);
      content = value;
    } else if (typeof def.content === 'string') content = def.content;
    else throw new UserError(`build secret "${source}": only file, environment and content secrets can be used in builds`);
    out[id] = Buffer.from(content).toString('base64');
  }
  return out;
}
