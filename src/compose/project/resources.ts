import type { EngineApi } from '../../engine/client/engine-api.js';
import { EngineError } from '../../engine/client/http-client.js';
import { UserError } from '../../errors.js';
import { isDict, type Dict } from '../types.js';
import type { DesiredProject } from './desired.js';
import { LABEL } from './labels.js';
import type { ProgressSink } from './progress.js';

type Resource = DesiredProject['networks'][number];

const notFound = (e: unknown): boolean => e instanceof EngineError && e.status === 404;

/** Networks before containers: existing ones are reused, external ones must exist, the rest are created labelled. */
export async function ensureNetworks(engine: EngineApi, project: DesiredProject, keys: Set<string>, progress: ProgressSink): Promise<void> {
  for (const net of project.networks.filter((n) => keys.has(n.key))) {
    const existing = await engine.http.json<Dict>('GET', `/networks/${encodeURIComponent(net.name)}`).catch((e: unknown) => (notFound(e) ? undefined : Promise.reject(e)));
    if (existing) continue;
    if (net.external) throw new UserError(`network ${net.name} declared as external, but could not be found`);
    progress({ kind: 'Network', name: net.name, status: 'Creating' });
    await engine.http.json('POST', '/networks/create', { body: networkBody(project.name, net) });
    progress({ kind: 'Network', name: net.name, status: 'Created', done: true });
  }
}

function networkBody(projectName: string, net: Resource): Dict {
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
