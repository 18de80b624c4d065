/** rtnetlink numbers from the kernel's uapi headers (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/veth.h). */

export const NETLINK_ROUTE = 0;

export const NLMSG = { ERROR: 2, DONE: 3 } as const;

export const NLM_F = {
  REQUEST: 0x1,
  MULTI: 0x2,
  ACK: 0x4,
  DUMP: 0x300,
  REPLACE: 0x100,
  EXCL: 0x200,
  CREATE: 0x400,
  /** In an NLMSG_ERROR answer: extended-ACK attributes follow the echoed header. */
  ACK_TLVS: 0x200,
  CAPPED: 0x100,
} as const;

export const RTM = {
  NEWLINK: 16,
  DELLINK: 17,
  GETLINK: 18,
  SETLINK: 19,
  NEWADDR: 20,
  DELADDR: 21,
  GETADDR: 22,
  NEWROUTE: 24,
  DELROUTE: 25,
  GETROUTE: 26,
} as const;

export const IFLA = {
  ADDRESS: 1,
  IFNAME: 3,
  MTU: 4,
  MASTER: 10,
  LINKINFO: 18,
  NET_NS_PID: 19,
  IFALIAS: 20,
  NET_NS_FD: 28,
} as const;

export const IFLA_INFO = { KIND: 1, DATA: 2 } as const;
export const VETH_INFO_PEER = 1;
export const NLA_F_NESTED = 0x8000;
export const NLMSGERR_ATTR_MSG = 1;

export const IFA = { ADDRESS: 1, LOCAL: 2, BROADCAST: 4 } as const;

export const RTA = { DST: 1, OIF: 4, GATEWAY: 5, PREFSRC: 7, TABLE: 15 } as const;

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const IFF_UP = 0x1;
export const RT_TABLE_MAIN = 254;
export const RTPROT_BOOT = 3;
export const RT_SCOPE = { UNIVERSE: 0, LINK: 253, HOST: 254 } as const;
export const RTN_UNICAST = 1;
