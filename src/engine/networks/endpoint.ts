/**
 * Plugging one container into one bridge, through netlink only: a veth pair whose container end is created straight
 * inside the container's network namespace (named ethN, given its MAC), then, through a socket opened in that
 * namespace, its address, its state and the default route. Unplugging deletes the host end (the kernel takes its twin).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { addAddress, addDefaultRoute, createVethPair, deleteLinkByName, findLink, listRoutes, NetlinkError, setLink, type NetlinkSocket } from '../../net/netlink/index.js';
import type { Subnet } from '../../net/ipv4.js';

export interface PlugRequest {
  hostName: string; // the host end: tscv<11 hex>
  alias: string; // marks the host end as this engine's
  bridgeIndex: number;
  interfaceName: string; // eth0, eth1, ...
  mac: string;
  address: number;
  subnet: Subnet;
  /** Set when this endpoint gives the container its default route. */
  gateway?: number;
}

/** `host`: a socket in the engine's namespace; `container`: one opened inside the container's. */
export function plug(host: NetlinkSocket, container: NetlinkSocket, netnsPath: string, request: PlugRequest): void {
  const netnsFd = openSync(netnsPath, 'r');
  try {
    createVethPair(host, { name: request.hostName, up: true, master: request.bridgeIndex, alias: request.alias }, { name: request.interfaceName, mac: request.mac, netnsFd });
  } finally {
    closeSync(netnsFd);
  }
  const inner = findLink(container, request.interfaceName);
  if (!inner) throw new NetlinkError(`find ${request.interfaceName}`, 'ENODEV', 'the container end of the veth pair is missing');
  addAddress(container, inner.index, request.address, request.subnet);
  setLink(container, inner.index, { up: true });
  if (request.gateway !== undefined && !hasDefaultRoute(container)) addDefaultRoute(container, request.gateway, inner.index);
}

/** Deletes the host end; already gone (the container's namespace died with it) is fine. */
export function unplug(host: NetlinkSocket, hostName: string): void {
  try {
    deleteLinkByName(host, hostName);
  } catch (e) {
    if (!(e instanceof NetlinkError && e.errno === 'ENODEV')) throw e;
  }
}

export function hasDefaultRoute(sock: NetlinkSocket): boolean {
  return listRoutes(sock).some((r) => r.table === 254 && r.prefix === 0);
}

/** The lowest ethN not present in the container yet (for live connects). */
export function nextInterfaceName(names: string[]): string {
  for (let i = 0; ; i++) if (!names.includes(`eth${i}`)) return `eth${i}`;
}

/** Docker's MACs: 02:42 then random (locally administered, unicast). */
export function randomMac(): string {
  return ['02', '42', ...[...randomBytes(4)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

export function hostLinkName(endpointId: string): string {
  return `tscv${endpointId.slice(0, 11)}`;
}
