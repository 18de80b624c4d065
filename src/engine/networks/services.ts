/**
 * What the network manager needs from the embedded DNS server and the port proxy (src/net/dns, src/net/proxy): small
 * interfaces, so the manager can be tested with fakes and the two can evolve on their own.
 */

/** One DNS listener per network, on its gateway address; names registered per endpoint. */
export interface NetworkDns {
  listen(networkId: string, address: string, options?: { internal?: boolean }): Promise<void>;
  close(networkId: string): Promise<void>;
  register(networkId: string, endpointId: string, names: string[], address: string): void;
  unregister(networkId: string, endpointId: string): void;
}

/** One published port: host side listening, forwarding to the container's address. */
export interface PublishRequest {
  protocol: 'tcp' | 'udp';
  hostIp: string; // '' = every address
  hostPort: number; // 0 = a random free port
  targetIp: string;
  targetPort: number;
}

export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  close(): Promise<void>;
}

export interface PortPublisher {
  publish(request: PublishRequest): Promise<PublishedPort>;
}

/** Until DNS is wired: no names (containers still reach each other by address). */
export const NO_DNS: NetworkDns = {
  listen: async () => undefined,
  close: async () => undefined,
  register: () => undefined,
  unregister: () => undefined,
};
