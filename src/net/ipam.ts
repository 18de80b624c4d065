/**
 * IPv4 address management: choosing a network's subnet (Docker's default pools, minus what the host routes and what
 * our networks hold) or checking the one asked for, and handing out container addresses inside it.
 */
import { UserError } from '../errors.js';
import { contains, formatIPv4, formatSubnet, overlaps, parseIPv4, parseSubnet, subnetSize, broadcastOf, type Subnet } from './ipv4.js';

/** Docker's IPAM.Config entry (IPv4 only). */
export interface IpamConfig {
  Subnet?: string;
  Gateway?: string;
  IPRange?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

/** An address someone else holds: 409 in the API (statusCode is read by the API's error mapping). */
export class AddressInUseError extends UserError {
  readonly statusCode = 409;
}

/** The pool is used up: no subnet left, or no address left in one. */
export class PoolExhaustedError extends UserError {
  readonly statusCode = 409;
}

/** Docker's default address pools: 172.17-31.0.0/16, then 192.168.0.0/16 cut in /20s. */
export const DEFAULT_POOLS: Subnet[] = [
  ...Array.from({ length: 15 }, (_, i) => parseSubnet(`172.${17 + i}.0.0/16`)),
  ...Array.from({ length: 16 }, (_, i) => parseSubnet(`192.168.${i * 16}.0/20`)),
];

/** The first default pool overlapping none of `taken` (host routes and our own networks). */
export function chooseSubnet(taken: Subnet[]): Subnet {
  const free = DEFAULT_POOLS.find((candidate) => !taken.some((t) => overlaps(candidate, t)));
  if (!free) throw new PoolExhaustedError('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
  return free;
}

/**
 * Completes a network's IPAM config: the subnet asked for (checked: well-formed, not overlapping `taken`) or one chosen
 * from the pools; the gateway defaults to the first host address. Returns Docker's shape as inspect shows it.
 */
export function planIpam(requested: IpamConfig | undefined, taken: Subnet[]): Required<Pick<IpamConfig, 'Subnet' | 'Gateway'>> & IpamConfig {
  const subnet = requested?.Subnet ? parseSubnet(requested.Subnet) : chooseSubnet(taken);
  if (requested?.Subnet) {
    if (subnet.prefix > 30) throw new UserError(`invalid subnet ${requested.Subnet}: too small for a bridge network`);
    const clash = taken.find((t) => overlaps(subnet, t));
    if (clash) throw new AddressInUseError(`Pool overlaps with other one on this address space (${formatSubnet(clash)})`);
  }
  const gateway = requested?.Gateway ? parseIPv4(requested.Gateway) : subnet.base + 1;
  if (!contains(subnet, gateway)) throw new UserError(`no matching subnet for gateway ${requested?.Gateway}`);
  if (requested?.IPRange) {
    const range = parseSubnet(requested.IPRange);
    if (!contains(subnet, range.base) || range.prefix < subnet.prefix) throw new UserError(`no matching subnet for range ${requested.IPRange}`);
  }
  for (const [name, address] of Object.entries(requested?.AuxiliaryAddresses ?? {})) {
    if (!contains(subnet, parseIPv4(address))) throw new UserError(`no matching subnet for aux-address ${name}=${address}`);
  }
  return { ...requested, Subnet: formatSubnet(subnet), Gateway: formatIPv4(gateway) };
}

/** Container addresses of one network (in memory: they live as long as the containers that hold them run). */
export class AddressPool {
  readonly subnet: Subnet;
  readonly gateway: number;
  private readonly range: Subnet;
  private readonly reserved = new Set<number>();
  private readonly used = new Map<number, string>(); // address → holder (an endpoint id)

  constructor(config: IpamConfig & { Subnet: string; Gateway: string }) {
    this.subnet = parseSubnet(config.Subnet);
    this.gateway = parseIPv4(config.Gateway);
    this.range = config.IPRange ? parseSubnet(config.IPRange) : this.subnet;
    this.reserved.add(this.subnet.base).add(broadcastOf(this.subnet)).add(this.gateway);
    for (const address of Object.values(config.AuxiliaryAddresses ?? {})) this.reserved.add(parseIPv4(address));
  }

  /** The address asked for (must be free, in the subnet) or the lowest free one of the range. */
  allocate(holder: string, requested?: string): number {
    if (requested) return this.claim(holder, parseIPv4(requested));
    const first = Math.max(this.range.base, this.subnet.base + 1);
    const last = Math.min(this.range.base + subnetSize(this.range) - 1, broadcastOf(this.subnet) - 1);
    for (let address = first; address <= last; address++) {
      if (!this.reserved.has(address) && !this.used.has(address)) return this.take(holder, address);
    }
    throw new PoolExhaustedError(`no available IPv4 addresses on network ${formatSubnet(this.subnet)}`);
  }

  release(address: number): void {
    this.used.delete(address);
  }

  /** Whether `address` could be asked for at all (create-time check of --ip). */
  check(requested: string): void {
    const address = parseIPv4(requested);
    if (!contains(this.subnet, address)) throw new UserError(`invalid endpoint settings: the IPv4 address ${requested} is not in the network's subnet ${formatSubnet(this.subnet)}`);
    if (this.reserved.has(address)) throw new AddressInUseError(`Address already in use: ${requested} is reserved on this network`);
  }

  private claim(holder: string, address: number): number {
    this.check(formatIPv4(address));
    if (this.used.has(address)) throw new AddressInUseError(`Address already in use: ${formatIPv4(address)}`);
    return this.take(holder, address);
  }

  private take(holder: string, address: number): number {
    this.used.set(address, holder);
    return address;
  }
}
