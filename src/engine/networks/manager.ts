import type { EndpointConfig } from '../api/docker-types.js';
import type { ContainerRecord } from '../containers/record.js';

/** What inspect shows under NetworkSettings.Networks.<name> (Docker's EndpointSettings). */
export interface EndpointSettings {
  /** The address asked for at create (`ipv4_address`), null when the pool chose. */
  IPAMConfig: { IPv4Address?: string } | null;
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  MacAddress: string;
  Aliases: string[] | null;
  DNSNames: string[] | null;
}

/** The container's network state once attached (kept on the record while it runs). */
export interface NetworkSettings {
  Networks: Record<string, EndpointSettings>;
  /** Docker's `Ports`: "80/tcp" → [{HostIp, HostPort}] (null when exposed but not published). */
  Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null>;
}

/**
 * The engine's seam to networking (src/net does the host work). Called by the container operations:
 * - validate at create (unknown network, bad --ip, port already taken, ...),
 * - attach in the start hook: the stage exists as PID `hostPid`, alone in its fresh network namespace
 *   /proc/<hostPid>/ns/net, and waits for "go" — plug its interfaces in, publish ports, register DNS names;
 *   returns what `/etc/resolv.conf` and `/etc/hosts` of the container should say too,
 * - detach when it has exited (or failed to start): remove its links, DNS names, port proxies.
 */
export interface NetworkManager {
  validate(record: ContainerRecord): void;
  attach(record: ContainerRecord, hostPid: number): Promise<NetworkSettings>;
  detach(record: ContainerRecord): Promise<void>;
  /** `network_mode: container:X`: the namespace file the runtime joins (spec.netnsPath); undefined otherwise. */
  namespaceOf?(record: ContainerRecord): string | undefined;
}

/** Docker's POST /networks/create body (the fields the engine honours). */
export interface CreateNetworkBody {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  CheckDuplicate?: boolean;
  IPAM?: { Driver?: string; Config?: Array<{ Subnet?: string; Gateway?: string; IPRange?: string; AuxiliaryAddresses?: Record<string, string> }>; Options?: Record<string, string> };
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}

/** The whole networking side the API uses: the seam above plus networks as objects and live connect/disconnect. */
export interface NetworkService extends NetworkManager {
  list(filters: Record<string, string[]>): unknown[];
  inspect(ref: string): unknown;
  create(body: CreateNetworkBody): Promise<{ Id: string; Warning: string }>;
  remove(ref: string): Promise<void>;
  prune(filters: Record<string, string[]>): Promise<string[]>;
  connect(record: ContainerRecord, ref: string, config: EndpointConfig): Promise<void>;
  disconnect(record: ContainerRecord, ref: string, force: boolean): Promise<void>;
  /** Engine start: host objects a killed engine left are removed, stored networks are set up again. */
  restore(log: (line: string) => void): Promise<void>;
  /** Engine stop: bridges, rules and DNS listeners of every network go (restore brings them back). */
  shutdown(): Promise<void>;
}

/** Until networks exist: containers keep their own namespace with only `lo`. */
export const NO_NETWORKS: NetworkManager = {
  validate: () => undefined,
  attach: async () => ({ Networks: {}, Ports: {} }),
  detach: async () => undefined,
};
