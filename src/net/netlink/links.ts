/** Link operations (RTM_*LINK): bridges, veth pairs, moving between namespaces, names, MACs, up/down, bridge ports. */
import { AF_UNSPEC, IFF_UP, IFLA, IFLA_INFO, NLM_F, RTM, VETH_INFO_PEER } from './constants.js';
import { attr, attrString, decodeAttributes, encodeAttributes, type Attribute } from './message.js';
import type { NetlinkSocket } from './socket.js';

export interface LinkInfo {
  index: number;
  name: string;
  flags: number;
  mac: string;
  alias: string;
  kind: string;
  master: number;
}

/** struct ifinfomsg: family, pad, type, index, flags, change (16 bytes). */
export function ifinfomsg(index = 0, flags = 0, change = 0): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt8(AF_UNSPEC, 0);
  b.writeInt32LE(index, 4);
  b.writeUInt32LE(flags, 8);
  b.writeUInt32LE(change, 12);
  return b;
}

export function macBytes(mac: string): Buffer {
  const parts = mac.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) throw new Error(`invalid MAC address: ${mac}`);
  return Buffer.from(parts.map((p) => parseInt(p, 16)));
}

const formatMac = (b: Buffer | undefined): string => (b ? [...b].map((x) => x.toString(16).padStart(2, '0')).join(':') : '');

/** What a new link starts with besides its kind. */
export interface LinkOptions {
  name: string;
  mac?: string;
  alias?: string;
  up?: boolean;
  master?: number;
  mtu?: number;
}

function linkAttributes(options: LinkOptions): Attribute[] {
  const out = [attr.string(IFLA.IFNAME, options.name)];
  if (options.mac) out.push(attr.bytes(IFLA.ADDRESS, macBytes(options.mac)));
  if (options.master !== undefined) out.push(attr.u32(IFLA.MASTER, options.master));
  if (options.mtu !== undefined) out.push(attr.u32(IFLA.MTU, options.mtu));
  return out;
}

const upFlags = (up?: boolean): [number, number] => (up ? [IFF_UP, IFF_UP] : [0, 0]);

export function createBridge(sock: NetlinkSocket, options: LinkOptions): void {
  const info = attr.nested(IFLA.LINKINFO, [attr.string(IFLA_INFO.KIND, 'bridge')]);
  sock.change(`create bridge ${options.name}`, RTM.NEWLINK, NLM_F.CREATE | NLM_F.EXCL, ifinfomsg(0, ...upFlags(options.up)), [...linkAttributes(options), info]);
  if (options.alias) setLink(sock, options.name, { alias: options.alias });
}

/**
 * A veth pair in one request: `host` stays here (optionally a bridge port, up), `peer` is created straight inside the
 * network namespace open as `netnsFd`, so its name (eth0) never clashes with the host's. The peer cannot be brought
 * up in the same request (ENOTCONN: its twin is not registered yet): do it from the peer's namespace.
 */
export function createVethPair(sock: NetlinkSocket, host: LinkOptions, peer: Omit<LinkOptions, 'up' | 'alias'> & { netnsFd?: number }): void {
  const peerAttributes = linkAttributes(peer);
  if (peer.netnsFd !== undefined) peerAttributes.push(attr.u32(IFLA.NET_NS_FD, peer.netnsFd));
  // VETH_INFO_PEER holds an ifinfomsg followed by attributes: a raw payload, not a list of attributes
  const peerInfo = attr.bytes(VETH_INFO_PEER, Buffer.concat([ifinfomsg(), encodeAttributes(peerAttributes)]));
  const info = attr.nested(IFLA.LINKINFO, [attr.string(IFLA_INFO.KIND, 'veth'), attr.nested(IFLA_INFO.DATA, [peerInfo])]);
  sock.change(`create veth ${host.name}`, RTM.NEWLINK, NLM_F.CREATE | NLM_F.EXCL, ifinfomsg(0, ...upFlags(host.up)), [...linkAttributes(host), info]);
  if (host.alias) setLink(sock, host.name, { alias: host.alias });
}


/** Changes of an existing link, all in one RTM_SETLINK (unset fields stay as they are). */
export interface LinkChanges {
  name?: string;
  alias?: string;
  mac?: string;
  up?: boolean;
  master?: number; // 0 = no master
  netnsFd?: number;
  netnsPid?: number;
}

/** `link`: an index, or a name (then it cannot be renamed in the same call). */
export function setLink(sock: NetlinkSocket, link: number | string, changes: LinkChanges): void {
  const attributes: Attribute[] = [];
  const index = typeof link === 'number' ? link : 0;
  if (typeof link === 'string') attributes.push(attr.string(IFLA.IFNAME, link));
  else if (changes.name) attributes.push(attr.string(IFLA.IFNAME, changes.name));
  if (changes.alias !== undefined) attributes.push(attr.bytes(IFLA.IFALIAS, Buffer.from(changes.alias)));
  if (changes.mac) attributes.push(attr.bytes(IFLA.ADDRESS, macBytes(changes.mac)));
  if (changes.master !== undefined) attributes.push(attr.u32(IFLA.MASTER, changes.master));
  if (changes.netnsFd !== undefined) attributes.push(attr.u32(IFLA.NET_NS_FD, changes.netnsFd));
  if (changes.netnsPid !== undefined) attributes.push(attr.u32(IFLA.NET_NS_PID, changes.netnsPid));
  const [flags, change] = changes.up === undefined ? [0, 0] : [changes.up ? IFF_UP : 0, IFF_UP];
  sock.change(`set link ${link}`, RTM.NEWLINK, 0, ifinfomsg(index, flags, change), attributes);
}

export function deleteLink(sock: NetlinkSocket, index: number): void {
  sock.change(`delete link ${index}`, RTM.DELLINK, 0, ifinfomsg(index), []);
}

export function deleteLinkByName(sock: NetlinkSocket, name: string): void {
  sock.change(`delete link ${name}`, RTM.DELLINK, 0, ifinfomsg(0), [attr.string(IFLA.IFNAME, name)]);
}

export function listLinks(sock: NetlinkSocket): LinkInfo[] {
  return sock.dump('list links', RTM.GETLINK, ifinfomsg()).map(parseLink);
}

/** One link by name, or undefined. */
export function findLink(sock: NetlinkSocket, name: string): LinkInfo | undefined {
  return listLinks(sock).find((l) => l.name === name);
}

function parseLink(body: Buffer): LinkInfo {
  const attributes = decodeAttributes(body.subarray(16));
  const linkInfo = attributes.get(IFLA.LINKINFO);
  const master = attributes.get(IFLA.MASTER);
  return {
    index: body.readInt32LE(4),
    flags: body.readUInt32LE(8),
    name: attrString(attributes.get(IFLA.IFNAME)),
    mac: formatMac(attributes.get(IFLA.ADDRESS)),
    alias: attrString(attributes.get(IFLA.IFALIAS)),
    kind: linkInfo ? attrString(decodeAttributes(linkInfo).get(IFLA_INFO.KIND)) : '',
    master: master ? master.readUInt32LE(0) : 0,
  };
}
