import type { IpamConfig } from '../../net/ipam.js';
import { BRIDGE_PREFIX } from '../../net/firewall.js';

/** One network as the engine keeps it (`<root>/networks/<id>.json`): Docker's inspect shape minus the live parts. */
export interface NetworkRecord {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local';
  Driver: 'bridge';
  EnableIPv6: false;
  IPAM: { Driver: 'default'; Options: Record<string, string>; Config: Array<IpamConfig & { Subnet: string; Gateway: string }> };
  Internal: boolean;
  Attachable: boolean;
  Ingress: false;
  ConfigFrom: { Network: string };
  ConfigOnly: false;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

/** The engine's default network (Docker's `bridge`): NAT, but no name resolution by container names. */
export const DEFAULT_NETWORK = 'bridge';

/** The host's bridge of a network: `tscbr` + 10 hex digits of its id (15 chars, the kernel's limit). */
export function bridgeNameOf(network: NetworkRecord): string {
  return `${BRIDGE_PREFIX}${network.Id.slice(0, 10)}`;
}

/** Whether containers on it get DNS names (every user-defined network; not the default one, as in Docker). */
export function hasNameResolution(network: NetworkRecord): boolean {
  return network.Name !== DEFAULT_NETWORK;
}
