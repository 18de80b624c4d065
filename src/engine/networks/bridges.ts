/**
 * A network's host side: its bridge (with the gateway address), its firewall rules, ip_forward for networks with a
 * way out, and its DNS listener. Built when the network is created (or the engine starts), taken down when it is
 * removed (or the engine stops).
 */
import { ForwardingClaims } from '../../net/forwarding.js';
import { Firewall } from '../../net/firewall.js';
import { parseIPv4, parseSubnet } from '../../net/ipv4.js';
import { addAddress, createBridge, deleteLinkByName, findLink, listLinks, NetlinkError, type NetlinkSocket } from '../../net/netlink/index.js';
import { bridgeNameOf, hasNameResolution, type NetworkRecord } from './record.js';
import type { NetworkDns } from './services.js';

export class HostBridges {
  private readonly indexes = new Map<string, number>(); // network id → bridge ifindex
  private readonly outbound = new Set<string>(); // ids of realized networks that claimed ip_forward

  constructor(
    private readonly sock: NetlinkSocket,
    private readonly firewall: Firewall,
    private readonly forwarding: ForwardingClaims,
    private readonly dns: NetworkDns,
    /** Written as the alias of every link this engine makes (leftovers are found by it). */
    readonly linkAlias: string,
  ) {}

  bridgeIndex(network: NetworkRecord): number {
    const index = this.indexes.get(network.Id);
    if (index === undefined) throw new Error(`network ${network.Name} has no bridge`);
    return index;
  }

  async realize(network: NetworkRecord): Promise<void> {
    const ipam = network.IPAM.Config[0]!;
    const name = bridgeNameOf(network);
    try {
      unplugQuietly(this.sock, name);
      createBridge(this.sock, { name, up: true, alias: this.linkAlias });
      const index = findLink(this.sock, name)!.index;
      this.indexes.set(network.Id, index);
      addAddress(this.sock, index, parseIPv4(ipam.Gateway), parseSubnet(ipam.Subnet));
      await this.firewall.addBridge({ bridge: name, subnet: ipam.Subnet, internal: network.Internal });
      if (!network.Internal) this.claimForwarding(network.Id);
      if (hasNameResolution(network)) await this.dns.listen(network.Id, ipam.Gateway, { internal: network.Internal });
    } catch (e) {
      await this.unrealize(network).catch(() => undefined);
      throw e;
    }
  }

  async unrealize(network: NetworkRecord): Promise<void> {
    const name = bridgeNameOf(network);
    await this.dns.close(network.Id);
    await this.firewall.removeBridge(name);
    unplugQuietly(this.sock, name);
    this.indexes.delete(network.Id);
    if (this.outbound.delete(network.Id) && this.outbound.size === 0) this.forwarding.release();
  }

  /** Links carrying this engine's alias (bridges and host ends of veth pairs) a killed engine left: deleted. */
  removeLeftoverLinks(): string[] {
    const leftovers = listLinks(this.sock).filter((l) => l.alias === this.linkAlias);
    for (const link of leftovers) unplugQuietly(this.sock, link.name);
    return leftovers.map((l) => l.name);
  }

  private claimForwarding(networkId: string): void {
    if (this.outbound.size === 0) this.forwarding.claim();
    this.outbound.add(networkId);
  }
}

function unplugQuietly(sock: NetlinkSocket, name: string): void {
  try {
    deleteLinkByName(sock, name);
  } catch (e) {
    if (!(e instanceof NetlinkError && e.errno === 'ENODEV')) throw e;
  }
}
