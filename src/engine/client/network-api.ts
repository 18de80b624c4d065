/** Typed calls of the engine's /networks endpoints (Docker's shapes), as the CLI and the compose layer use them. */
import type { EndpointConfig } from '../api/docker-types.js';
import type { CreateNetworkBody } from '../networks/manager.js';
import type { HttpClient } from './http-client.js';

export interface NetworkInspect {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string>; Config: Array<{ Subnet: string; Gateway: string; IPRange?: string; AuxiliaryAddresses?: Record<string, string> }> };
  Internal: boolean;
  Attachable: boolean;
  Options: Record<string, string>;
  Labels: Record<string, string>;
  Containers: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }>;
}

const enc = encodeURIComponent;
const filtersQuery = (filters?: Record<string, string[]>) => ({ filters: filters ? JSON.stringify(filters) : undefined });

export function listNetworks(http: HttpClient, filters?: Record<string, string[]>): Promise<NetworkInspect[]> {
  return http.json('GET', '/networks', { query: filtersQuery(filters) });
}

export function inspectNetwork(http: HttpClient, ref: string): Promise<NetworkInspect> {
  return http.json('GET', `/networks/${enc(ref)}`);
}

export function createNetwork(http: HttpClient, body: CreateNetworkBody): Promise<{ Id: string; Warning: string }> {
  return http.json('POST', '/networks/create', { body });
}

export function removeNetwork(http: HttpClient, ref: string): Promise<void> {
  return http.json('DELETE', `/networks/${enc(ref)}`);
}

export function pruneNetworks(http: HttpClient, filters?: Record<string, string[]>): Promise<{ NetworksDeleted: string[] | null }> {
  return http.json('POST', '/networks/prune', { query: filtersQuery(filters) });
}

export function connectNetwork(http: HttpClient, ref: string, container: string, endpoint: EndpointConfig = {}): Promise<void> {
  return http.json('POST', `/networks/${enc(ref)}/connect`, { body: { Container: container, EndpointConfig: endpoint } });
}

export function disconnectNetwork(http: HttpClient, ref: string, container: string, force = false): Promise<void> {
  return http.json('POST', `/networks/${enc(ref)}/disconnect`, { body: { Container: container, Force: force } });
}
