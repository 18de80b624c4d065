/**
 * The engine's NetworkService on Linux bridges: networks as stored objects (each realized on the host as a bridge
 * with its firewall rules and DNS listener), and containers plugged into them at start, live on connect, unplugged
 * on exit or disconnect.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForwardingClaims } from '../../net/forwarding.js';
import { Firewall } from '../../net/firewall.js';
import { AddressPool, planIpam } from '../../net/ipam.js';
import { formatIPv4, parseIPv4, parseSubnet, type Subnet } from '../../net/ipv4.js';
import { listLinks, listRoutes, NetlinkSocket } from '../../net/netlink/index.js';
import { ApiError, badRequest, conflict } from '../api/http.js';
import type { EndpointConfig } from '../api/docker-types.js';
import { containerPaths } from '../containers/paths.js';
import type { ContainerRecord } from '../containers/record.js';
import type { ContainerStore } from '../containers/store.js';
import type { EventBus } from '../events.js';
import { HostBridges } from './bridges.js';
import { plug, unplug, hostLinkName, nextInterfaceName, randomMac } from './endpoint.js';
import { hostsFile, resolvConf } from './etc-files.js';
import type { CreateNetworkBody, NetworkService, NetworkSettings } from './manager.js';
import { publishPorts } from './ports.js';
import { DEFAULT_NETWORK, hasNameResolution, type NetworkRecord } from './record.js';
import { networkModeOf, wantedNetworks } from './select.js';
import { NO_DNS, type NetworkDns, type PortPublisher, type PublishedPort } from './services.js';
import { NetworkStore } from './store.js';
import { endpointSettings, matchesFilters, networkView, type Endpoint } from './views.js';

export interface BridgeManagerDeps {
  root: string;
  engineId: string;
  containers: ContainerStore;
  events: EventBus;
  dns?: NetworkDns;
  ports?: PortPublisher;
}

const NO_PORTS: PortPublisher = {
  publish: () => Promise.reject(new ApiError(500, 'port publishing is not available in this engine')),
};

export class BridgeNetworkManager implements NetworkService {
  private readonly store: NetworkStore;
  private readonly sock = NetlinkSocket.open();
  private readonly bridges: HostBridges;
  private readonly firewall: Firewall;
  private readonly forwarding: ForwardingClaims;
  private readonly dns: NetworkDns;
  private readonly ports: PortPublisher;
  private readonly pools = new Map<string, AddressPool>();
  private readonly endpoints = new Map<string, Endpoint[]>(); // container id → its live endpoints, in order
  private readonly published = new Map<string, PublishedPort[]>();
  private defaultCreation: Promise<NetworkRecord> | undefined;
  /** Host ends of exited containers' veth pairs: the kernel deletes them with the namespace; swept if they linger. */
  private readonly lingering = new Set<string>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: BridgeManagerDeps) {
    const tag = deps.engineId.slice(0, 12);
    this.store = new NetworkStore(join(deps.root, 'networks'));
    this.firewall = new Firewall(tag, join(deps.root, 'networks', 'firewall-chains'));
    this.forwarding = new ForwardingClaims(tag);
    this.dns = deps.dns ?? NO_DNS;
    this.ports = deps.ports ?? NO_PORTS;
    this.bridges = new HostBridges(this.sock, this.firewall, this.forwarding, this.dns, `tscompose:${tag}`);
  }

  // ---- networks as objects ------------------------------------------------------------------------------------

  list(filters: Record<string, string[]>): unknown[] {
    return this.store.all().filter((n) => matchesFilters(n, filters, n.Name === DEFAULT_NETWORK)).map((n) => networkView(n, []));
  }

  inspect(ref: string): unknown {
    const network = this.store.get(ref);
    return networkView(network, this.endpointsOn(network.Id));
  }

  async create(body: CreateNetworkBody): Promise<{ Id: string; Warning: string }> {
    if (!body.Name) throw badRequest('network name is required');
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(body.Name)) throw badRequest(`invalid network name "${body.Name}"`);
    if (['host', 'none', 'default'].includes(body.Name) || body.Name === DEFAULT_NETWORK) throw new ApiError(403, `${body.Name} is a pre-defined network and cannot be created`);
    const network = await this.createNetwork(body);
    return { Id: network.Id, Warning: '' };
  }

  async remove(ref: string): Promise<void> {
    const network = this.store.get(ref);
    if (network.Name === DEFAULT_NETWORK) throw new ApiError(403, `${network.Name} is a pre-defined network and cannot be removed`);
    await this.removeNetwork(network);
  }

  async prune(filters: Record<string, string[]>): Promise<string[]> {
    const removed: string[] = [];
    for (const network of this.store.all()) {
      if (network.Name === DEFAULT_NETWORK || this.endpointsOn(network.Id).length > 0) continue;
      if (!matchesFilters(network, { label: filters.label ?? [] }, false)) continue;
      await this.removeNetwork(network);
      removed.push(network.Name);
    }
    return removed;
  }

  // ---- the container seam -------------------------------------------------------------------------------------

  validate(record: ContainerRecord): void {
    const mode = networkModeOf(record);
    if (mode.kind === 'container') {
      this.deps.containers.get(mode.ref);
      return;
    }
    for (const wanted of wantedNetworks(record)) {
      if (wanted.ref === DEFAULT_NETWORK && !this.store.find(wanted.ref)) continue; // made on first use
      const network = this.store.get(wanted.ref);
      const ip = wanted.config.IPAMConfig?.IPv4Address;
      if (ip) this.poolOf(network).check(ip);
      if (wanted.config.MacAddress && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(wanted.config.MacAddress)) throw badRequest(`invalid MAC address: ${wanted.config.MacAddress}`);
    }
  }

  namespaceOf(record: ContainerRecord): string | undefined {
    const mode = networkModeOf(record);
    if (mode.kind !== 'container') return undefined;
    const target = this.deps.containers.get(mode.ref);
    if (target.state.status !== 'running' || !target.state.pid) throw conflict(`cannot join network namespace of a non running container: ${target.name}`);
    return `/proc/${target.state.pid}/ns/net`;
  }

  async attach(record: ContainerRecord, hostPid: number): Promise<NetworkSettings> {
    const mode = networkModeOf(record);
    if (mode.kind === 'container') this.shareEtcFiles(record, this.deps.containers.get(mode.ref));
    if (mode.kind !== 'networks') return { Networks: {}, Ports: {} };
    const wanted = wantedNetworks(record);
    const networks = await Promise.all(wanted.map((w) => this.networkFor(w.ref)));
    const routed = networks.find((n) => !n.Internal);
    const netnsPath = `/proc/${hostPid}/ns/net`;
    const inner = NetlinkSocket.openIn(netnsPath);
    try {
      // Docker's per-endpoint driver option names the interface (compose `interface_name`); else eth0, eth1, ...
      networks.forEach((network, i) => this.plugInto(record, inner, netnsPath, network, wanted[i]!.config, interfaceNameOf(wanted[i]!.config) ?? `eth${i}`, network === routed));
    } finally {
      inner.close();
    }
    const first = this.endpoints.get(record.id)?.[0];
    const opened: PublishedPort[] = [];
    this.published.set(record.id, opened);
    const ports = await publishPorts(this.ports, record, first ? formatIPv4(first.address) : undefined, opened);
    this.writeEtcFiles(record);
    return { Networks: this.settingsOf(record.id), Ports: ports };
  }

  /**
   * The container is gone (its processes too), so its network namespace dies and the kernel deletes the veth pairs
   * in it: deleting them here would cost ~20 ms of synchronous kernel work (an RCU grace period) on every exit.
   */
  async detach(record: ContainerRecord): Promise<void> {
    for (const endpoint of this.endpoints.get(record.id) ?? []) this.releaseEndpoint(endpoint);
    for (const endpoint of this.endpoints.get(record.id) ?? []) this.lingering.add(endpoint.hostName);
    this.endpoints.delete(record.id);
    this.sweepSoon();
    const opened = this.published.get(record.id) ?? [];
    this.published.delete(record.id);
    await Promise.all(opened.map((p) => p.close().catch(() => undefined)));
  }

  async connect(record: ContainerRecord, ref: string, config: EndpointConfig): Promise<void> {
    const network = await this.networkFor(ref);
    if (networkModeOf(record).kind !== 'networks') throw badRequest('container sharing network namespace with another container or host cannot be connected to any other network');
    if (wantedNetworks(record).some((w) => this.store.find(w.ref)?.Id === network.Id)) throw new ApiError(403, `endpoint with name ${record.name} already exists in network ${network.Name}`);
    if (config.IPAMConfig?.IPv4Address) this.poolOf(network).check(config.IPAMConfig.IPv4Address);
    const running = record.state.status === 'running' || record.state.status === 'paused';
    if (running) this.plugLive(record, network, config);
    (record.networkingConfig.EndpointsConfig ??= {})[network.Name] = config;
    // its /etc/hosts and resolv.conf name the addresses it has now (bind-mounted files: the container sees them)
    if (running) this.writeEtcFiles(record);
    this.deps.containers.save(record);
    this.deps.events.publish('network', 'connect', network.Id, { container: record.id, name: network.Name, type: 'bridge' });
  }

  async disconnect(record: ContainerRecord, ref: string, force: boolean): Promise<void> {
    const network = this.store.find(ref);
    if (!network) {
      if (force) return;
      throw new ApiError(404, `network ${ref} not found`);
    }
    const joined = wantedNetworks(record).find((w) => this.store.find(w.ref)?.Id === network.Id);
    if (!joined) throw new ApiError(403, `container ${record.id} is not connected to network ${network.Name}`);
    const endpoint = this.endpoints.get(record.id)?.find((e) => e.network.Id === network.Id);
    if (endpoint) this.unplugLive(record, endpoint);
    this.forget(record, joined.ref);
    if (endpoint) this.writeEtcFiles(record);
    this.deps.containers.save(record);
    this.deps.events.publish('network', 'disconnect', network.Id, { container: record.id, name: network.Name, type: 'bridge' });
  }

  // ---- engine lifecycle ---------------------------------------------------------------------------------------

  async restore(log: (line: string) => void): Promise<void> {
    for (const name of this.bridges.removeLeftoverLinks()) log(`reconcile: removed leftover link ${name}`);
    await this.firewall.removeAll();
    this.forwarding.release();
    for (const network of this.store.all()) {
      await this.bridges.realize(network).catch((e: unknown) => log(`network ${network.Name}: ${(e as Error).message}`));
    }
  }

  async shutdown(): Promise<void> {
    await this.awaitLingering(2000);
    for (const network of this.store.all()) await this.bridges.unrealize(network).catch(() => undefined);
    await this.firewall.removeAll();
    this.forwarding.release();
    this.sock.close();
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private async createNetwork(body: CreateNetworkBody): Promise<NetworkRecord> {
    if (body.Driver && body.Driver !== 'bridge') throw badRequest(`network driver ${body.Driver} is not supported (only bridge)`);
    if (this.store.all().some((n) => n.Name === body.Name)) throw conflict(`network with name ${body.Name} already exists`);
    const ipam = planIpam(body.IPAM?.Config?.[0], this.takenSubnets());
    const network: NetworkRecord = {
      Name: body.Name!,
      Id: randomBytes(32).toString('hex'),
      Created: new Date().toISOString(),
      Scope: 'local',
      Driver: 'bridge',
      EnableIPv6: false,
      IPAM: { Driver: 'default', Options: body.IPAM?.Options ?? {}, Config: [ipam] },
      Internal: body.Internal === true,
      Attachable: body.Attachable === true,
      Ingress: false,
      ConfigFrom: { Network: '' },
      ConfigOnly: false,
      Options: body.Options ?? {},
      Labels: body.Labels ?? {},
    };
    await this.bridges.realize(network);
    this.store.save(network);
    this.deps.events.publish('network', 'create', network.Id, { name: network.Name, type: 'bridge' });
    return network;
  }

  private async removeNetwork(network: NetworkRecord): Promise<void> {
    if (this.endpointsOn(network.Id).length > 0) throw conflict(`error while removing network: network ${network.Name} id ${network.Id} has active endpoints`);
    await this.bridges.unrealize(network);
    this.store.delete(network.Id);
    this.pools.delete(network.Id);
    this.deps.events.publish('network', 'destroy', network.Id, { name: network.Name, type: 'bridge' });
  }

  /** A network by reference; the default one is created on first use (once, however many containers ask at once). */
  private async networkFor(ref: string): Promise<NetworkRecord> {
    const found = this.store.find(ref);
    if (found) return found;
    if (ref !== DEFAULT_NETWORK) return this.store.get(ref);
    this.defaultCreation ??= this.createNetwork({ Name: DEFAULT_NETWORK, Options: { 'com.docker.network.bridge.default_bridge': 'true' } }).finally(() => (this.defaultCreation = undefined));
    return this.defaultCreation;
  }

  /** Subnets a new network must not overlap: routed on the host (our bridges included) and held by our networks. */
  private takenSubnets(): Subnet[] {
    const routed = listRoutes(this.sock).filter((r) => r.table === 254 && r.prefix > 0).map((r) => ({ base: parseIPv4(r.destination), prefix: r.prefix }));
    return [...routed, ...this.store.all().map((n) => parseSubnet(n.IPAM.Config[0]!.Subnet))];
  }

  private poolOf(network: NetworkRecord): AddressPool {
    let pool = this.pools.get(network.Id);
    if (!pool) this.pools.set(network.Id, (pool = new AddressPool(network.IPAM.Config[0]!)));
    return pool;
  }

  private endpointsOn(networkId: string): Endpoint[] {
    return [...this.endpoints.values()].flat().filter((e) => e.network.Id === networkId);
  }

  private settingsOf(containerId: string): NetworkSettings['Networks'] {
    return Object.fromEntries((this.endpoints.get(containerId) ?? []).map((e) => [e.network.Name, endpointSettings(e)]));
  }

  /** Allocates the address, records the endpoint (so detach undoes a half-done plug), plugs, registers DNS names. */
  private plugInto(record: ContainerRecord, inner: NetlinkSocket, netnsPath: string, network: NetworkRecord, config: EndpointConfig, interfaceName: string, routed: boolean): Endpoint {
    const pool = this.poolOf(network);
    const id = randomBytes(32).toString('hex');
    const address = pool.allocate(id, config.IPAMConfig?.IPv4Address || undefined);
    const named = hasNameResolution(network);
    const aliases = named ? [...(config.Aliases ?? [])] : null;
    const endpoint: Endpoint = {
      id,
      network,
      containerId: record.id,
      containerName: record.name,
      hostName: hostLinkName(id),
      interfaceName,
      address,
      prefix: pool.subnet.prefix,
      gateway: formatIPv4(pool.gateway),
      mac: (config.MacAddress || (record.config.MacAddress as string | undefined) || randomMac()).toLowerCase(),
      aliases,
      ...(config.IPAMConfig?.IPv4Address ? { requestedAddress: config.IPAMConfig.IPv4Address } : {}),
      dnsNames: named ? dnsNamesOf(record, aliases ?? []) : null,
    };
    const list = this.endpoints.get(record.id) ?? [];
    this.endpoints.set(record.id, [...list, endpoint]);
    const bridgeIndex = this.bridges.bridgeIndex(network);
    plug(this.sock, inner, netnsPath, { hostName: endpoint.hostName, alias: this.bridges.linkAlias, bridgeIndex, interfaceName, mac: endpoint.mac, address, subnet: pool.subnet, ...(routed ? { gateway: pool.gateway } : {}) });
    if (endpoint.dnsNames) this.dns.register(network.Id, id, endpoint.dnsNames, formatIPv4(address));
    return endpoint;
  }

  private unplugEndpoint(endpoint: Endpoint): void {
    this.releaseEndpoint(endpoint);
    unplug(this.sock, endpoint.hostName);
  }

  private releaseEndpoint(endpoint: Endpoint): void {
    this.dns.unregister(endpoint.network.Id, endpoint.id);
    this.poolOf(endpoint.network).release(endpoint.address);
  }

  /** A host end still there a second after its container's exit (something kept the namespace alive): deleted. */
  private sweepSoon(): void {
    if (this.sweepTimer || this.lingering.size === 0) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      const present = new Set(listLinks(this.sock).map((l) => l.name));
      for (const name of this.lingering) if (present.has(name)) unplug(this.sock, name);
      this.lingering.clear();
    }, 1000).unref();
  }

  /** Engine stop: waits (bounded) for the kernel to take the veth pairs of exited containers, then deletes the rest. */
  private async awaitLingering(limitMs: number): Promise<void> {
    clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (let waited = 0; this.lingering.size > 0; waited += 20) {
      const present = new Set(listLinks(this.sock).map((l) => l.name));
      for (const name of this.lingering) if (!present.has(name)) this.lingering.delete(name);
      if (waited >= limitMs) for (const name of this.lingering) unplug(this.sock, name);
      if (waited >= limitMs) this.lingering.clear();
      else if (this.lingering.size > 0) await new Promise((r) => setTimeout(r, 20));
    }
  }

  private plugLive(record: ContainerRecord, network: NetworkRecord, config: EndpointConfig): void {
    const netnsPath = `/proc/${record.state.pid}/ns/net`;
    const inner = NetlinkSocket.openIn(netnsPath);
    try {
      const name = nextInterfaceName(listLinks(inner).map((l) => l.name));
      this.plugInto(record, inner, netnsPath, network, config, name, !network.Internal);
    } catch (e) {
      const endpoint = this.endpoints.get(record.id)?.find((x) => x.network.Id === network.Id);
      if (endpoint) this.unplugLive(record, endpoint);
      throw e;
    } finally {
      inner.close();
    }
    if (record.networkSettings) record.networkSettings.Networks = this.settingsOf(record.id);
  }

  private unplugLive(record: ContainerRecord, endpoint: Endpoint): void {
    this.unplugEndpoint(endpoint);
    this.endpoints.set(record.id, (this.endpoints.get(record.id) ?? []).filter((e) => e !== endpoint));
    if (record.networkSettings) record.networkSettings.Networks = this.settingsOf(record.id);
  }

  /** Drops a network from what the container asks for; a NetworkMode naming it falls to the next one (or none). */
  private forget(record: ContainerRecord, ref: string): void {
    const endpoints = record.networkingConfig.EndpointsConfig ?? {};
    delete endpoints[ref];
    const mode = record.hostConfig.NetworkMode ?? '';
    const modeNetwork = mode === '' || mode === 'default' ? DEFAULT_NETWORK : mode;
    if (modeNetwork === ref) record.hostConfig.NetworkMode = Object.keys(endpoints)[0] ?? 'none';
  }

  private writeEtcFiles(record: ContainerRecord): void {
    const paths = containerPaths(record);
    const endpoints = this.endpoints.get(record.id) ?? [];
    const named = endpoints.find((e) => hasNameResolution(e.network));
    const host = record.hostConfig;
    writeFileSync(paths.resolvConfFile, resolvConf({
      hostResolvConf: readHostResolvConf(),
      ...(named ? { embeddedDns: named.gateway } : {}),
      dns: host.Dns ?? [],
      dnsSearch: host.DnsSearch ?? [],
      dnsOptions: host.DnsOptions ?? [],
    }));
    writeFileSync(paths.hostsFile, hostsFile({
      hostname: record.config.Hostname || record.id.slice(0, 12),
      domainname: record.config.Domainname ?? '',
      ...(endpoints[0] ? { address: formatIPv4(endpoints[0].address), gateway: endpoints[0].gateway } : {}),
      extraHosts: [...(host.ExtraHosts ?? []), ...this.linkedHosts(record, endpoints)],
    }));
  }

  /**
   * Legacy `links` (HostConfig.Links, "name:alias"): the linked container's address on a network they share, as
   * /etc/hosts lines; this is how links work on the default bridge, which has no name resolution.
   */
  private linkedHosts(record: ContainerRecord, endpoints: Endpoint[]): string[] {
    const links = Array.isArray(record.hostConfig.Links) ? (record.hostConfig.Links as string[]) : [];
    return links.flatMap((link) => {
      const [name = '', alias = name] = link.replace(/^\//, '').split(':');
      const target = this.deps.containers.find(name);
      const shared = target && (this.endpoints.get(target.id) ?? []).find((e) => endpoints.some((own) => own.network.Id === e.network.Id));
      return shared ? [...new Set([alias.replace(/^.*\//, ''), target.name])].map((n) => `${n}:${formatIPv4(shared.address)}`) : [];
    });
  }

  /** `container:X` shares X's view of names too (as Docker does). */
  private shareEtcFiles(record: ContainerRecord, target: ContainerRecord): void {
    const from = containerPaths(target);
    const to = containerPaths(record);
    copyFileSync(from.hostsFile, to.hostsFile);
    copyFileSync(from.resolvConfFile, to.resolvConfFile);
  }
}

/** Names on a user-defined network: container name, aliases, short id, hostname (Docker's DNSNames). */
function dnsNamesOf(record: ContainerRecord, aliases: string[]): string[] {
  const names = [record.name, ...aliases, record.id.slice(0, 12), ...(record.config.Hostname ? [record.config.Hostname] : [])];
  return [...new Set(names)];
}

function readHostResolvConf(): string {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
}

function interfaceNameOf(config: EndpointConfig): string | undefined {
  const opts = (config as { DriverOpts?: Record<string, string> }).DriverOpts;
  return opts?.['com.docker.network.endpoint.ifname'];
}
