import type { EndpointConfig } from '../api/docker-types.js';
import type { ContainerRecord } from '../containers/record.js';
import { DEFAULT_NETWORK } from './record.js';

/** How a container is networked, from its NetworkMode. */
export type NetworkModeKind = { kind: 'none' } | { kind: 'host' } | { kind: 'container'; ref: string } | { kind: 'networks' };

export function networkModeOf(record: ContainerRecord): NetworkModeKind {
  const mode = record.hostConfig.NetworkMode ?? '';
  if (mode === 'none') return { kind: 'none' };
  if (mode === 'host') return { kind: 'host' };
  if (mode.startsWith('container:')) return { kind: 'container', ref: mode.slice('container:'.length) };
  return { kind: 'networks' };
}

/** A network a container joins, in interface order (eth0 first), with what it asked for there. */
export interface WantedNetwork {
  ref: string;
  config: EndpointConfig;
}

/** The networks of a container: NetworkMode's first (''/default = the default `bridge`), then EndpointsConfig's others. */
export function wantedNetworks(record: ContainerRecord): WantedNetwork[] {
  if (networkModeOf(record).kind !== 'networks') return [];
  const endpoints = record.networkingConfig.EndpointsConfig ?? {};
  const mode = record.hostConfig.NetworkMode ?? '';
  const first = mode === '' || mode === 'default' ? DEFAULT_NETWORK : mode;
  const refs = [first, ...Object.keys(endpoints).filter((n) => n !== first)];
  return refs.map((ref) => ({ ref, config: endpoints[ref] ?? {} }));
}
