/**
 * Turns a container's request (Binds, Mounts, Tmpfs, VolumesFrom, Config.Volumes) and its image's VOLUMEs into a
 * MountPlan, without touching anything: `applyDraft` then creates what the plan needs. Precedence, as in Docker:
 * explicit mounts > volumes-from > anonymous volumes for the image's (and Config's) VOLUME paths.
 */
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { UserError } from '../../errors.js';
import { validateDriverOptions } from '../../volume/driver-options.js';
import { anonymousVolumeName } from '../../volume/names.js';
import { badRequest, notFound } from '../api/http.js';
import type { ContainerRecord } from '../containers/record.js';
import { byMountDepth, type MountPlan, type PlannedMount, type VolumeToCreate } from './plan.js';
import { requestFromBind, requestFromMount, requestFromTmpfs, type MountObject, type MountRequest } from './requests.js';

export interface PlannerDeps {
  volumeExists(name: string): boolean;
  /** The plan of a container named in VolumesFrom (404 when there is no such container). */
  planOfContainer(ref: string): MountPlan;
  /** `type: image` mounts need the image locally (Docker answers 404 "No such image" at create). */
  imageExists(ref: string): boolean;
}

export interface PlanDraft {
  plan: MountPlan;
  volumesToCreate: VolumeToCreate[];
  /** `-v /host:/path` creates a missing host directory, as Docker does. */
  bindSourcesToCreate: string[];
}

export function draftPlan(record: ContainerRecord, imageVolumes: string[], deps: PlannerDeps): PlanDraft {
  const draft: PlanDraft = { plan: { containerId: record.id, mounts: [] }, volumesToCreate: [], bindSourcesToCreate: [] };
  const byTarget = new Map<string, PlannedMount>();
  for (const mount of volumesFrom(record, deps)) byTarget.set(mount.target, mount);
  const explicit = explicitRequests(record);
  checkDuplicates(explicit);
  for (const request of explicit) byTarget.set(request.target, plannedFrom(request, draft, deps));
  for (const target of anonymousTargets(record, imageVolumes)) {
    if (!byTarget.has(target)) byTarget.set(target, plannedFrom({ kind: 'volume', target, readOnly: false, noCopy: false, mode: '' }, draft, deps));
  }
  draft.plan.mounts = [...byTarget.values()].sort(byMountDepth);
  return draft;
}

function explicitRequests(record: ContainerRecord): MountRequest[] {
  const host = record.hostConfig;
  return [
    ...(host.Binds ?? []).map(requestFromBind),
    ...((host.Mounts ?? []) as MountObject[]).map(requestFromMount),
    ...Object.entries(host.Tmpfs ?? {}).map(([target, options]) => requestFromTmpfs(target, options)),
  ];
}

function checkDuplicates(requests: MountRequest[]): void {
  const seen = new Set<string>();
  for (const { target } of requests) {
    if (seen.has(target)) throw badRequest(`Duplicate mount point: ${target}`);
    seen.add(target);
  }
}

/** `container[:ro|rw]`: that container's volumes and binds, at the same paths. */
function volumesFrom(record: ContainerRecord, deps: PlannerDeps): PlannedMount[] {
  const entries = (record.hostConfig.VolumesFrom ?? []) as string[];
  return entries.flatMap((entry) => {
    const [ref = '', mode] = entry.split(':');
    if (mode !== undefined && mode !== 'ro' && mode !== 'rw') throw badRequest(`invalid mode for volumes-from: ${mode}`);
    const shared = deps.planOfContainer(ref).mounts.filter((m) => m.type !== 'tmpfs');
    return shared.map((m) => (mode === undefined ? { ...m } : { ...m, readOnly: mode === 'ro', mode: mode === 'ro' ? 'ro' : '' })) as PlannedMount[];
  });
}

/** The image's VOLUMEs and the request's Config.Volumes (`docker run -v /data` in the API's other spelling). */
function anonymousTargets(record: ContainerRecord, imageVolumes: string[]): string[] {
  const paths = [...imageVolumes, ...Object.keys(record.config.Volumes ?? {})];
  return [...new Set(paths.filter((p) => posix.isAbsolute(p)).map((p) => posix.normalize(p).replace(/(.)\/$/, '$1')))];
}

function plannedFrom(request: MountRequest, draft: PlanDraft, deps: PlannerDeps): PlannedMount {
  if (request.kind === 'tmpfs') return { type: 'tmpfs', target: request.target, tmpfs: request.tmpfs, listed: request.listed };
  if (request.kind === 'bind') return plannedBind(request, draft);
  if (request.kind === 'image') {
    if (!deps.imageExists(request.image)) throw notFound(`No such image: ${request.image}`);
    return { type: 'image', target: request.target, image: request.image, ...(request.subpath ? { subpath: request.subpath } : {}) };
  }
  const name = request.name ?? anonymousVolumeName();
  if (request.name === undefined || !deps.volumeExists(name)) queueVolume(draft, request, name);
  return { type: 'volume', target: request.target, name, readOnly: request.readOnly, copyUp: !request.noCopy, anonymous: request.name === undefined, mode: request.mode };
}

function plannedBind(request: Extract<MountRequest, { kind: 'bind' }>, draft: PlanDraft): PlannedMount {
  if (!existsSync(request.source)) {
    if (request.mustExist) throw badRequest(`invalid mount config for type "bind": bind source path does not exist: ${request.source}`);
    if (request.createSource) draft.bindSourcesToCreate.push(request.source);
  }
  return { type: 'bind', target: request.target, source: request.source, readOnly: request.readOnly, propagation: request.propagation, mode: request.mode };
}

function queueVolume(draft: PlanDraft, request: Extract<MountRequest, { kind: 'volume' }>, name: string): void {
  if (draft.volumesToCreate.some((v) => v.name === name)) return;
  if (request.driver && request.driver !== 'local') throw new UserError(`volume driver "${request.driver}" is not supported: only "local" is`);
  validateDriverOptions(request.driverOpts ?? {});
  draft.volumesToCreate.push({
    name,
    anonymous: request.name === undefined,
    ...(request.labels ? { labels: request.labels } : {}),
    ...(request.driverOpts ? { driverOpts: request.driverOpts } : {}),
  });
}
