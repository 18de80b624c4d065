import type { EngineApi } from '../../engine/client/engine-api.js';
import { EngineError } from '../../engine/client/http-client.js';
import { UserError } from '../../errors.js';
import { isDict, type Dict } from '../types.js';
import type { DesiredProject } from './desired.js';
import { LABEL } from './labels.js';
import { createHash } from 'node:crypto';
import { stableJson } from '../config-hash.js';
import { connectNetwork, disconnectNetwork } from '../../engine/client/network-api.js';
import type { ProgressSink } from './progress.js';

type Resource = DesiredProject['networks'][number];

const notFound = (e: unknown): boolean => e instanceof EngineError && e.status === 404;

/** Networks before containers: existing ones are reused, external ones must exist, the rest are created labelled. */
export async function ensureNetworks(engine: EngineApi, project: DesiredProject, keys: Set<string>, progress: ProgressSink): Promise<void> {
  for (const net of project.networks.filter((n) => keys.has(n.key))) {
    const existing = await engine.http.json<Dict>('GET', `/networks/${encodeURIComponent(net.name)}`).catch((e: unknown) => (notFound(e) ? undefined : Promise.reject(e)));
    const body = networkBody(project.name, net);
    if (existing && !net.external && labelsOf(existing)[LABEL.configHash] !== undefined && labelsOf(existing)[LABEL.configHash] !== hashOf(body)) {
      await replaceNetwork(engine, net.name, existing, body, progress);
      continue;
    }
    if (existing) continue;
    if (net.external) throw new UserError(`network ${net.name} declared as external, but could not be found`);
    progress({ kind: 'Network', name: net.name, status: 'Creating' });
    await engine.http.json('POST', '/networks/create', { body });
    progress({ kind: 'Network', name: net.name, status: 'Created', done: true });
  }
}

/**
 * The network's config changed (subnet, driver options...): it is replaced and the same containers are connected to
 * the new one, keeping their aliases; the containers themselves are not recreated.
 */
async function replaceNetwork(engine: EngineApi, name: string, existing: Dict, body: Dict, progress: ProgressSink): Promise<void> {
  progress({ kind: 'Network', name, status: 'Recreate', detail: 'configuration changed' });
  const attached = Object.entries(isDict(existing.Containers) ? existing.Containers : {}).map(([id]) => id);
  const aliases = new Map<string, string[]>();
  for (const id of attached) {
    const settings = ((await engine.inspectContainer(id)).NetworkSettings as { Networks?: Record<string, { Aliases?: string[] | null }> }).Networks?.[name];
    aliases.set(id, settings?.Aliases ?? []);
    await disconnectNetwork(engine.http, name, id, true);
  }
  await engine.http.json('DELETE', `/networks/${encodeURIComponent(name)}`);
  await engine.http.json('POST', '/networks/create', { body });
  for (const id of attached) await connectNetwork(engine.http, name, id, { Aliases: aliases.get(id) ?? [] });
  progress({ kind: 'Network', name, status: 'Recreated', done: true });
}

const labelsOf = (network: Dict): Record<string, string> => (isDict(network.Labels) ? (network.Labels as Record<string, string>) : {});

/** What makes two definitions of a network the same one (its labels aside from the hash itself). */
function hashOf(body: Dict): string {
  const { Labels: _labels, ...rest } = body;
  return createHash('sha256').update(stableJson(rest)).digest('hex');
}

function networkRequest(projectName: string, net: Resource): Dict {
  const c = net.config;
  const ipam = isDict(c.ipam) ? c.ipam : {};
  return {
    Name: net.name,
    Driver: c.driver ?? 'bridge',
    Internal: c.internal === true,
    Attachable: c.attachable === true,
    Options: c.driver_opts ?? {},
    IPAM: { Driver: ipam.driver ?? 'default', Config: (Array.isArray(ipam.config) ? ipam.config : []).map(ipamConfig) },
    Labels: { ...(isDict(c.labels) ? c.labels : {}), [LABEL.project]: projectName, [LABEL.network]: net.key },
  };
}

/** The create request, labelled with the hash of its config (so a later `up` sees a changed definition). */
function networkBody(projectName: string, net: Resource): Dict {
  const body = networkRequest(projectName, net);
  return { ...body, Labels: { ...(body.Labels as Dict), [LABEL.configHash]: hashOf(body) } };
}

function ipamConfig(entry: unknown): Dict {
  const e = isDict(entry) ? entry : {};
  return { ...(e.subnet ? { Subnet: e.subnet } : {}), ...(e.gateway ? { Gateway: e.gateway } : {}), ...(e.ip_range ? { IPRange: e.ip_range } : {}), ...(e.aux_addresses ? { AuxiliaryAddresses: e.aux_addresses } : {}) };
}

/** Named volumes of the project: created (labelled) when missing; external ones must exist. */
export async function ensureVolumes(engine: EngineApi, project: DesiredProject, keys: Set<string>, progress: ProgressSink): Promise<void> {
  for (const vol of project.volumes.filter((v) => keys.has(v.key))) {
    const existing = await engine.http.json<Dict>('GET', `/volumes/${encodeURIComponent(vol.name)}`).catch((e: unknown) => (notFound(e) ? undefined : Promise.reject(e)));
    if (existing) continue;
    if (vol.external) throw new UserError(`external volume "${vol.name}" not found`);
    progress({ kind: 'Volume', name: vol.name, status: 'Creating' });
    const c = vol.config;
    await engine.http.json('POST', '/volumes/create', {
      body: { Name: vol.name, Driver: c.driver ?? 'local', DriverOpts: c.driver_opts ?? {}, Labels: { ...(isDict(c.labels) ? c.labels : {}), [LABEL.project]: project.name, [LABEL.volume]: vol.key } },
    });
    progress({ kind: 'Volume', name: vol.name, status: 'Created', done: true });
  }
}

/** `down`: the project's networks (not external ones), found by label. */
export async function removeNetworks(engine: EngineApi, projectName: string, progress: ProgressSink): Promise<void> {
  const networks = await engine.http.json<Array<{ Name: string; Labels?: Record<string, string> }>>('GET', '/networks', { query: { filters: JSON.stringify({ label: [`${LABEL.project}=${projectName}`] }) } }).catch((e: unknown) => (notFound(e) ? [] : Promise.reject(e)));
  for (const net of networks) {
    progress({ kind: 'Network', name: net.Name, status: 'Removing' });
    await engine.http.json('DELETE', `/networks/${encodeURIComponent(net.Name)}`);
    progress({ kind: 'Network', name: net.Name, status: 'Removed', done: true });
  }
}

/** `down -v`: the project's named volumes (external ones are never labelled by us, so never removed). */
export async function removeVolumes(engine: EngineApi, projectName: string, progress: ProgressSink): Promise<void> {
  const answer = await engine.http.json<{ Volumes?: Array<{ Name: string }> }>('GET', '/volumes', { query: { filters: JSON.stringify({ label: [`${LABEL.project}=${projectName}`] }) } }).catch((e: unknown) => (notFound(e) ? { Volumes: [] } : Promise.reject(e)));
  for (const vol of answer.Volumes ?? []) {
    progress({ kind: 'Volume', name: vol.Name, status: 'Removing' });
    await engine.http.json('DELETE', `/volumes/${encodeURIComponent(vol.Name)}`);
    progress({ kind: 'Volume', name: vol.Name, status: 'Removed', done: true });
  }
}

/** The network and volume keys the given services use (what `up SERVICE` must create). */
export function resourcesUsedBy(project: DesiredProject, services: string[]): { networks: Set<string>; volumes: Set<string> } {
  const networks = new Set<string>();
  const volumes = new Set<string>();
  for (const s of project.services.filter((s) => services.includes(s.name))) {
    for (const key of Object.keys(isDict(s.config.networks) ? s.config.networks : {})) networks.add(key);
    for (const m of Array.isArray(s.config.volumes) ? (s.config.volumes as Dict[]) : []) {
      if (m.type === 'volume' && typeof m.source === 'string') volumes.add(m.source);
    }
  }
  return { networks, volumes };
}
