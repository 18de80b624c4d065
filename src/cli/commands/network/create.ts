import { Command } from 'commander';
import { UserError } from '../../../errors.js';
import { createNetwork } from '../../../engine/client/network-api.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';
import { collect, keyValues } from './shared.js';

interface CreateFlags {
  driver: string;
  subnet: string[];
  gateway: string[];
  ipRange: string[];
  auxAddress: string[];
  internal: boolean;
  attachable: boolean;
  label: string[];
  opt: string[];
  ipv6: boolean;
}

export function createCommand(io: CliIO): Command {
  return new Command('create')
    .description('Create a network')
    .argument('<name>')
    .option('-d, --driver <driver>', 'Driver to manage the Network', 'bridge')
    .option('--subnet <subnet>', 'Subnet in CIDR format that represents a network segment', collect, [])
    .option('--gateway <ip>', 'IPv4 Gateway for the master subnet', collect, [])
    .option('--ip-range <range>', 'Allocate container ip from a sub-range', collect, [])
    .option('--aux-address <name=ip>', 'Auxiliary IPv4 addresses used by Network driver', collect, [])
    .option('--internal', 'Restrict external access to the network', false)
    .option('--attachable', 'Enable manual container attachment', false)
    .option('--label <label>', 'Set metadata on a network', collect, [])
    .option('-o, --opt <key=value>', 'Set driver specific options', collect, [])
    .option('--ipv6', 'Enable IPv6 networking (ignored)', false)
    .action(async (name: string, flags: CreateFlags) => {
      if (flags.subnet.length > 1) throw new UserError('only one --subnet is supported (IPv4)');
      if ((flags.gateway.length || flags.ipRange.length || flags.auxAddress.length) && !flags.subnet.length) {
        throw new UserError('--gateway, --ip-range and --aux-address need a --subnet');
      }
      const config = flags.subnet.length
        ? [{
            Subnet: flags.subnet[0]!,
            ...(flags.gateway[0] ? { Gateway: flags.gateway[0] } : {}),
            ...(flags.ipRange[0] ? { IPRange: flags.ipRange[0] } : {}),
            ...(flags.auxAddress.length ? { AuxiliaryAddresses: keyValues(flags.auxAddress) } : {}),
          }]
        : [];
      const engine = await connectEngine(io);
      const { Id } = await createNetwork(engine.http, {
        Name: name,
        Driver: flags.driver,
        Internal: flags.internal,
        Attachable: flags.attachable,
        IPAM: { Driver: 'default', Config: config },
        Options: keyValues(flags.opt),
        Labels: keyValues(flags.label),
      });
      io.stdout(`${Id}\n`);
    });
}
