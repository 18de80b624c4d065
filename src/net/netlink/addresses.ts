/** IPv4 addresses of links (RTM_*ADDR). */
import { AF_INET, IFA, NLM_F, RTM, RT_SCOPE } from './constants.js';
import { attr, decodeAttributes } from './message.js';
import type { NetlinkSocket } from './socket.js';
import { broadcastOf, formatIPv4, ipv4Bytes, type Subnet } from '../ipv4.js';

export interface AddressInfo {
  index: number;
  address: string;
  prefix: number;
}

/** struct ifaddrmsg: family, prefixlen, flags, scope, index (8 bytes). */
function ifaddrmsg(prefix: number, index: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(AF_INET, 0);
  b.writeUInt8(prefix, 1);
  b.writeUInt8(RT_SCOPE.UNIVERSE, 3);
  b.writeUInt32LE(index, 4);
  return b;
}

/** Adds `address`/prefix to link `index` (with the subnet's broadcast, as `ip addr add ... brd +` does). */
export function addAddress(sock: NetlinkSocket, index: number, address: number, subnet: Subnet): void {
  const attributes = [attr.bytes(IFA.LOCAL, ipv4Bytes(address)), attr.bytes(IFA.ADDRESS, ipv4Bytes(address))];
  if (subnet.prefix < 31) attributes.push(attr.bytes(IFA.BROADCAST, ipv4Bytes(broadcastOf(subnet))));
  sock.change(`add address ${formatIPv4(address)}/${subnet.prefix}`, RTM.NEWADDR, NLM_F.CREATE | NLM_F.EXCL, ifaddrmsg(subnet.prefix, index), attributes);
}

export function listAddresses(sock: NetlinkSocket): AddressInfo[] {
  return sock.dump('list addresses', RTM.GETADDR, ifaddrmsg(0, 0)).flatMap((body) => {
    if (body.readUInt8(0) !== AF_INET) return [];
    const attributes = decodeAttributes(body.subarray(8));
    const local = attributes.get(IFA.LOCAL) ?? attributes.get(IFA.ADDRESS);
    return local ? [{ index: body.readUInt32LE(4), address: formatIPv4(local.readUInt32BE(0)), prefix: body.readUInt8(1) }] : [];
  });
}
