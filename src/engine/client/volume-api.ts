/** Typed calls of the engine's `/volumes` API (Docker's shapes), for the CLI and tests. */
import type { CreateVolumeRequest, VolumeView } from '../../volume/types.js';
import type { HttpClient } from './http-client.js';

export type { CreateVolumeRequest, VolumeView };

export type VolumeFilterArgs = Record<string, string[]>;

const filtersQuery = (filters?: VolumeFilterArgs): string | undefined => (filters && Object.keys(filters).length ? JSON.stringify(filters) : undefined);

export function listVolumes(http: HttpClient, filters?: VolumeFilterArgs): Promise<{ Volumes: VolumeView[]; Warnings: string[] }> {
  return http.json('GET', '/volumes', { query: { filters: filtersQuery(filters) } });
}

export function createVolume(http: HttpClient, request: CreateVolumeRequest = {}): Promise<VolumeView> {
  return http.json('POST', '/volumes/create', { body: request });
}

export function inspectVolume(http: HttpClient, name: string): Promise<VolumeView> {
  return http.json('GET', `/volumes/${encodeURIComponent(name)}`);
}

export function removeVolume(http: HttpClient, name: string, force = false): Promise<void> {
  return http.json('DELETE', `/volumes/${encodeURIComponent(name)}`, { query: { force: force || undefined } });
}

export function pruneVolumes(http: HttpClient, filters?: VolumeFilterArgs): Promise<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }> {
  return http.json('POST', '/volumes/prune', { query: { filters: filtersQuery(filters) } });
}
