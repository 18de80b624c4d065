/**
 * POST /commit (`docker commit`): a new image made of the container's image plus its writable layer (the overlay
 * upper dir, which stays the container's), configured as the container is (Cmd, Env, ...) with the request's
 * config merged in and `changes` (Dockerfile instructions) applied. A running container is paused meanwhile,
 * unless asked not to. The mount points the runtime made for the container's own mounts (/etc/hosts, volume and
 * bind targets, the folders made for them) are left out while they hold nothing: Docker keeps them in a separate
 * init layer that commits never see.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { applyChanges } from '../../../image/changes.js';
import type { ImageRecord } from '../../../image/image-store.js';
import { OPAQUE_XATTR } from '../../../image/layer-unpack.js';
import type { HealthConfig, OciContainerConfig, OciImageConfig } from '../../../image/oci-types.js';
import { familiarString, parseReference } from '../../../image/reference.js';
import { PROC_MOUNT, standardMounts } from '../../../runtime/defaults.js';
import { lgetxattr } from '../../../runtime/syscalls.js';
import { ImageTree } from '../../../volume/image-tree.js';
import type { ContainerConfig } from '../../api/docker-types.js';
import { badRequest, conflict, notFound, queryBool } from '../../api/http.js';
import type { EngineContext } from '../../context.js';
import { containerPaths } from '../paths.js';
import type { ContainerRecord } from '../record.js';
import { pauseContainer } from './pause.js';

export interface CommitOptions {
  reference?: string; // repo[:tag] to tag the new image with
  comment?: string;
  author?: string;
  changes?: string[]; // Dockerfile instructions (CMD, ENV, ...); an entry may hold several lines
  pause?: boolean; // default true
  config?: ContainerConfig; // merged over the container's config, as Docker's `config` body
}

/** The /etc files the engine always binds in (see build-spec.ts). */
const ETC_FILES = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'];

/**
 * Container-absolute paths the runtime mounts something on for this container: /proc, /dev, /sys, the /etc files,
 * volume, bind and tmpfs targets. Where the image lacks them, the runtime creates them (empty) in the upper dir.
 */
export function mountPlaceholders(engine: EngineContext, record: ContainerRecord): string[] {
  const targets = [
    PROC_MOUNT.target,
    ...standardMounts({ readOnlySys: true }).map((m) => m.target),
    '/sys/fs/cgroup',
    ...ETC_FILES,
    ...engine.volumes.mountPoints(record).map((m) => m.Destination),
    ...Object.keys(record.hostConfig.Tmpfs ?? {}),
    ...(record.hostConfig.Mounts ?? []).map((m) => m.Target),
  ];
  const clean = targets.filter((t): t is string => typeof t === 'string' && t !== '').map((t) => posix.normalize(posix.join('/', t)).replace(/\/+$/, ''));
  return [...new Set(clean)].filter((t) => t !== '');
}

/** `docker commit`: the new image (tagged with `reference` when given). */
export async function commitContainer(engine: EngineContext, record: ContainerRecord, opts: CommitOptions = {}): Promise<ImageRecord> {
  const reference = opts.reference === undefined || opts.reference === '' ? undefined : tagReference(opts.reference);
  if (record.state.status === 'dead') throw conflict(`You cannot commit container ${record.id} which is Dead`);
  if (record.state.status === 'removing') throw conflict(`You cannot commit container ${record.id} which is being removed`);
  const image = engine.images.resolve(record.imageId);
  if (!image) throw notFound(`No such image: ${record.imageRef}`);
  const changes = (opts.changes ?? []).flatMap((change) => change.split('\n'));
  const runConfig = applyChanges(changes, mergeRequestConfig(opts.config ?? {}, containerImageConfig(record, image.config.config ?? {})));
  const config: OciImageConfig = {
    created: new Date().toISOString(),
    ...(opts.author ? { author: opts.author } : {}),
    architecture: image.config.architecture,
    ...(image.config.variant ? { variant: image.config.variant } : {}),
    os: image.config.os,
    config: runConfig,
    rootfs: { type: 'layers', diff_ids: [] }, // commitDir sets rootfs and history
  };
  const paused = opts.pause !== false && record.state.status === 'running' && engine.running.has(record.id);
  if (paused) await pauseContainer(engine, record, true);
  let made: ImageRecord;
  try {
    const upperDir = containerPaths(record).upperDir;
    const drop = await droppablePlaceholders(engine, record, image, upperDir);
    made = await engine.images.commitDir(image, upperDir, config, {
      exclude: (relPath) => drop.has(relPath),
      history: { created_by: (record.config.Cmd ?? []).join(' '), ...(opts.comment ? { comment: opts.comment } : {}) },
    });
  } finally {
    if (paused && record.state.status === 'paused') await pauseContainer(engine, record, false).catch(() => undefined);
  }
  if (reference) {
    engine.images.tag(made.id, reference);
    engine.events.publish('image', 'tag', made.id, { name: reference });
  }
  engine.events.container(record, 'commit', { comment: opts.comment ?? '', imageID: made.id, imageRef: reference ?? '' });
  return engine.images.get(made.id);
}

/** The route's work: POST /commit?container=&repo=&tag=&comment=&author=&changes=&pause=, body = config. */
export async function commitFromQuery(engine: EngineContext, query: URLSearchParams, body: ContainerConfig | null): Promise<{ Id: string }> {
  const container = query.get('container');
  if (!container) throw badRequest('container is required');
  const repo = query.get('repo') ?? '';
  const tag = query.get('tag') ?? '';
  if (!repo && tag) throw badRequest('tag requires a repository (repo)');
  const opts: CommitOptions = {
    changes: query.getAll('changes'),
    pause: queryBool(query, 'pause', true),
  };
  if (repo) opts.reference = tag ? `${repo}:${tag}` : repo;
  if (query.get('comment')) opts.comment = query.get('comment')!;
  if (query.get('author')) opts.author = query.get('author')!;
  if (body && typeof body === 'object' && !Array.isArray(body)) opts.config = body;
  const image = await commitContainer(engine, engine.containers.get(container), opts);
  return { Id: image.id };
}

/** A tag target (never a digest), familiar form ("busybox:latest"); checked before any work. */
function tagReference(text: string): string {
  const ref = parseReference(text);
  if (ref.digest !== undefined) throw badRequest('refusing to create a tag with a digest reference');
  return familiarString(ref);
}

/** The image config a container has: its create-time config over the image's, as Docker's container.Config. */
function containerImageConfig(record: ContainerRecord, image: OciContainerConfig): OciContainerConfig {
  const c = record.config;
  const out: OciContainerConfig = {};
  const user = c.User || image.User;
  if (user) out.User = user;
  const ports = { ...(image.ExposedPorts ?? {}), ...emptyValues(c.ExposedPorts) };
  if (Object.keys(ports).length > 0) out.ExposedPorts = ports;
  const env = mergeEnv(c.Env ?? [], image.Env ?? []);
  if (env.length > 0) out.Env = env;
  const entrypoint = c.Entrypoint !== undefined ? c.Entrypoint : image.Entrypoint;
  if (entrypoint && entrypoint.length > 0) out.Entrypoint = [...entrypoint];
  const cmd = c.Cmd ?? image.Cmd;
  if (cmd && cmd.length > 0) out.Cmd = [...cmd];
  const volumes = { ...(image.Volumes ?? {}), ...emptyValues(c.Volumes) };
  if (Object.keys(volumes).length > 0) out.Volumes = volumes;
  const workdir = c.WorkingDir || image.WorkingDir;
  if (workdir) out.WorkingDir = workdir;
  const labels = { ...(image.Labels ?? {}), ...(c.Labels ?? {}) };
  if (Object.keys(labels).length > 0) out.Labels = labels;
  // create fills in SIGTERM when neither asked for a signal: that default is not the image's to keep
  const stopSignal = c.StopSignal === 'SIGTERM' && !image.StopSignal ? undefined : c.StopSignal || image.StopSignal;
  if (stopSignal) out.StopSignal = stopSignal;
  const health = c.Healthcheck ?? image.Healthcheck;
  if (health) out.Healthcheck = structuredClone(health) as HealthConfig;
  if (image.OnBuild && image.OnBuild.length > 0) out.OnBuild = [...image.OnBuild];
  if (image.Shell && image.Shell.length > 0) out.Shell = [...image.Shell];
  if (image.ArgsEscaped) out.ArgsEscaped = image.ArgsEscaped;
  return out;
}

/** Docker's merge(userConf, containerConf) for commit: the request's config wins, the container's fills the gaps. */
function mergeRequestConfig(user: ContainerConfig, base: OciContainerConfig): OciContainerConfig {
  const out: OciContainerConfig = structuredClone(base);
  if (user.User) out.User = user.User;
  if (user.ExposedPorts && Object.keys(user.ExposedPorts).length > 0) out.ExposedPorts = { ...(base.ExposedPorts ?? {}), ...emptyValues(user.ExposedPorts) };
  if (user.Env && user.Env.length > 0) out.Env = mergeEnv(user.Env, base.Env ?? []);
  if (user.Labels) out.Labels = { ...(base.Labels ?? {}), ...user.Labels };
  if (user.Entrypoint && user.Entrypoint.length > 0) {
    out.Entrypoint = [...user.Entrypoint];
    if (user.Cmd && user.Cmd.length > 0) out.Cmd = [...user.Cmd];
    else delete out.Cmd;
  } else {
    if (user.Cmd && user.Cmd.length > 0) out.Cmd = [...user.Cmd];
    if (Array.isArray(user.Entrypoint)) delete out.Entrypoint; // [] clears it
  }
  if (user.Healthcheck) out.Healthcheck = { ...(base.Healthcheck ?? {}), ...definedFields(user.Healthcheck) };
  if (user.WorkingDir) out.WorkingDir = user.WorkingDir;
  if (user.Volumes && Object.keys(user.Volumes).length > 0) out.Volumes = { ...(base.Volumes ?? {}), ...emptyValues(user.Volumes) };
  if (user.StopSignal) out.StopSignal = user.StopSignal;
  return out;
}

/** `primary` entries, then those of `secondary` whose variable `primary` does not set. */
function mergeEnv(primary: string[], secondary: string[]): string[] {
  const keys = new Set(primary.map((kv) => kv.split('=', 1)[0]!));
  return [...primary, ...secondary.filter((kv) => !keys.has(kv.split('=', 1)[0]!))];
}

function emptyValues(map: Record<string, unknown> | undefined): Record<string, Record<string, never>> {
  return Object.fromEntries(Object.keys(map ?? {}).map((key) => [key, {}]));
}

/** Docker fills a requested healthcheck's zero fields from the container's. */
function definedFields(health: HealthConfig): HealthConfig {
  return Object.fromEntries(Object.entries(health).filter(([, v]) => v !== undefined && v !== 0 && !(Array.isArray(v) && v.length === 0))) as HealthConfig;
}

/**
 * Upper-dir paths (relative, "etc/hosts") to leave out: placeholders still empty (an empty file, a folder holding
 * nothing but such placeholders), and the folders above them that hold nothing else and were either made for them
 * (the image lacks them) or only copied up for them (same mode and owner as in the image).
 */
/** Mount points the runtime made in the upper dir that still hold nothing (and folders made only for them): not image content. */
export async function droppablePlaceholders(engine: EngineContext, record: ContainerRecord, image: ImageRecord, upperDir: string): Promise<Set<string>> {
  const targets = mountPlaceholders(engine, record).map((t) => t.slice(1));
  const placeholders = new Set(targets);
  const tree = await ImageTree.open(engine.images.lowerDirs(image));
  const folders = new Map<string, Stats | undefined>(); // folder above a placeholder → its stat in the image, if there
  for (const target of targets) {
    const parts = target.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (folders.has(folder) || placeholders.has(folder)) continue;
      folders.set(folder, (await tree.lookup(`/${folder}`, false))?.entry.stat);
    }
  }
  const droppable = (rel: string): boolean => {
    const host = join(upperDir, rel);
    let st: Stats;
    try {
      st = lstatSync(host);
    } catch {
      return false;
    }
    if (st.isFile()) return placeholders.has(rel) && st.size === 0;
    if (!st.isDirectory()) return false;
    if (!placeholders.has(rel)) {
      if (!folders.has(rel)) return false;
      const inImage = folders.get(rel);
      if (inImage && !(inImage.isDirectory() && inImage.mode === st.mode && inImage.uid === st.uid && inImage.gid === st.gid)) return false;
    }
    if (lgetxattr(host, OPAQUE_XATTR)?.toString() === 'y') return false;
    return readdirSync(host).every((name) => droppable(`${rel}/${name}`));
  };
  const drop = new Set<string>();
  for (const rel of [...folders.keys(), ...targets]) if (droppable(rel)) drop.add(rel);
  return drop;
}
