/**
 * The NetworkDns of the engine: one src/net/dns server per network on its gateway, answering from the names the
 * manager registers per endpoint (all replicas of a name as A records), forwarding the rest to the host's resolvers.
 */
import { canonicalName } from '../../net/dns/names.js';
import { readHostResolvers, startDnsServer, type DnsServer } from '../../net/dns/server.js';
import type { NetworkDns } from './services.js';

interface Registration {
  names: string[]; // canonical (lower-case)
  address: string;
}

export class EmbeddedDns implements NetworkDns {
  private readonly servers = new Map<string, DnsServer>();
  private readonly tables = new Map<string, Map<string, Registration>>(); // network id → endpoint id → names

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  async listen(networkId: string, address: string, options: { internal?: boolean } = {}): Promise<void> {
    await this.close(networkId);
    const host = await readHostResolvers();
    const table = this.tableOf(networkId);
    const server = await startDnsServer({
      address,
      lookup: (name) => lookup(table, name),
      reverse: (ip) => [...table.values()].find((r) => r.address === ip)?.names[0],
      // an internal network has no way out: nothing is forwarded (as Docker does)
      upstreams: options.internal ? [] : host.nameservers,
      searchDomains: host.search,
      onError: (e) => this.log(`dns ${address}: ${String(e)}`),
    });
    this.servers.set(networkId, server);
  }

  async close(networkId: string): Promise<void> {
    const server = this.servers.get(networkId);
    this.servers.delete(networkId);
    await server?.close();
  }

  register(networkId: string, endpointId: string, names: string[], address: string): void {
    this.tableOf(networkId).set(endpointId, { names: names.map(canonicalName), address });
  }

  unregister(networkId: string, endpointId: string): void {
    this.tables.get(networkId)?.delete(endpointId);
  }

  private tableOf(networkId: string): Map<string, Registration> {
    let table = this.tables.get(networkId);
    if (!table) this.tables.set(networkId, (table = new Map()));
    return table;
  }
}

/** Every address registered under `name` on the network (replicas), or undefined when the name is not ours. */
function lookup(table: Map<string, Registration>, name: string): string[] | undefined {
  const key = canonicalName(name);
  const addresses = [...table.values()].filter((r) => r.names.includes(key)).map((r) => r.address);
  return addresses.length > 0 ? addresses : undefined;
}
