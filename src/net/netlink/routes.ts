/** IPv4 routes of the main table (RTM_*ROUTE). */
import { AF_INET, NLM_F, RTA, RTM, RTN_UNICAST, RTPROT_BOOT, RT_SCOPE, RT_TABLE_MAIN } from './constants.js';
import { attr, decodeAttributes } from './message.js';
import type { NetlinkSocket } from './socket.js';
import { formatIPv4, ipv4Bytes } from '../ipv4.js';

export interface RouteInfo {
  destination: string; // network address; 0.0.0.0 for the default route
  prefix: number;
  gateway: string;
  outputIndex: number;
  table: number;
}

/** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags (12 bytes). */
function rtmsg(prefix: number, scope: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt8(AF_INET, 0);
  b.writeUInt8(prefix, 1);
  b.writeUInt8(RT_TABLE_MAIN, 4);
  b.writeUInt8(RTPROT_BOOT, 5);
  b.writeUInt8(scope, 6);
  b.writeUInt8(RTN_UNICAST, 7);
  return b;
}

/** `ip route add default via <gateway> dev <index>`. */
export function addDefaultRoute(sock: NetlinkSocket, gateway: number, outputIndex: number): void {
  const attributes = [attr.bytes(RTA.GATEWAY, ipv4Bytes(gateway)), attr.u32(RTA.OIF, outputIndex)];
  sock.change(`add default route via ${formatIPv4(gateway)}`, RTM.NEWROUTE, NLM_F.CREATE | NLM_F.EXCL, rtmsg(0, RT_SCOPE.UNIVERSE), attributes);
}

export function deleteDefaultRoute(sock: NetlinkSocket): void {
  sock.change('delete default route', RTM.DELROUTE, 0, rtmsg(0, RT_SCOPE.UNIVERSE), []);
}

/** IPv4 routes of every table (callers filter; the main table is 254). */
export function listRoutes(sock: NetlinkSocket): RouteInfo[] {
  return sock.dump('list routes', RTM.GETROUTE, rtmsg(0, 0)).flatMap((body) => {
    if (body.readUInt8(0) !== AF_INET) return [];
    const attributes = decodeAttributes(body.subarray(12));
    const tableAttr = attributes.get(RTA.TABLE);
    return [{
      destination: formatIPv4(attributes.get(RTA.DST)?.readUInt32BE(0) ?? 0),
      prefix: body.readUInt8(1),
      gateway: attributes.get(RTA.GATEWAY) ? formatIPv4(attributes.get(RTA.GATEWAY)!.readUInt32BE(0)) : '',
      outputIndex: attributes.get(RTA.OIF)?.readUInt32LE(0) ?? 0,
      table: tableAttr ? tableAttr.readUInt32LE(0) : body.readUInt8(4),
    }];
  });
}
