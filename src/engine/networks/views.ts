import { formatIPv4 } from '../../net/ipv4.js';
import type { EndpointSettings } from './manager.js';
import type { NetworkRecord } from './record.js';

/** A container's live attachment to one network. */
export interface Endpoint {
  id: string;
  network: NetworkRecord;
  containerId: string;
  containerName: string;
  hostName: string;
  interfaceName: string;
  address: number;
  prefix: number;
  gateway: string;
  mac: string;
  aliases: string[] | null;
  dnsNames: string[] | null;
  /** The static address the container asked for, if any. */
  requestedAddress?: string;
}

/** What container inspect shows under NetworkSettings.Networks.<name>. */
export function endpointSettings(endpoint: Endpoint): EndpointSettings {
  return {
    IPAMConfig: endpoint.requestedAddress ? { IPv4Address: endpoint.requestedAddress } : null,
    NetworkID: endpoint.network.Id,
    EndpointID: endpoint.id,
    Gateway: endpoint.gateway,
    IPAddress: formatIPv4(endpoint.address),
    IPPrefixLen: endpoint.prefix,
    MacAddress: endpoint.mac,
    Aliases: endpoint.aliases,
    DNSNames: endpoint.dnsNames,
  };
}

/** Docker's network inspect: the record plus its containers (network list leaves them empty, as Docker does). */
export function networkView(network: NetworkRecord, endpoints: Endpoint[]): Record<string, unknown> {
  const containers = Object.fromEntries(
    endpoints.map((e) => [e.containerId, { Name: e.containerName, EndpointID: e.id, MacAddress: e.mac, IPv4Address: `${formatIPv4(e.address)}/${e.prefix}`, IPv6Address: '' }]),
  );
  return { ...network, Containers: containers };
}

/** GET /networks filters: name (substring), id (prefix), label (key or key=value), driver, type (custom|builtin). */
export function matchesFilters(network: NetworkRecord, filters: Record<string, string[]>, builtin: boolean): boolean {
  const any = (key: string, test: (value: string) => boolean): boolean => !filters[key]?.length || filters[key]!.some(test);
  return (
    any('name', (v) => network.Name.includes(v)) &&
    any('id', (v) => network.Id.startsWith(v)) &&
    any('driver', (v) => v === network.Driver) &&
    any('type', (v) => (v === 'builtin') === builtin) &&
    (filters.label ?? []).every((v) => {
      const at = v.indexOf('=');
      return at < 0 ? v in network.Labels : network.Labels[v.slice(0, at)] === v.slice(at + 1);
    })
  );
}
