import type { ContainerRecord } from '../containers/record.js';

/** What inspect shows under NetworkSettings.Networks.<name> (Docker's EndpointSettings). */
export interface EndpointSettings {
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
}

/** Until networks exist: containers keep their own namespace with only `lo`. */
export const NO_NETWORKS: NetworkManager = {
  validate: () => undefined,
  attach: async () => ({ Networks: {}, Ports: {} }),
  detach: async () => undefined,
};
