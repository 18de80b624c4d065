import { Command } from 'commander';
import { connectNetwork, disconnectNetwork } from '../../../engine/client/network-api.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';
import { collect } from './shared.js';

/** connect, disconnect. */
export function connectCommands(io: CliIO): Command[] {
  const connect = new Command('connect')
    .description('Connect a container to a network')
    .argument('<network>')
    .argument('<container>')
    .option('--alias <alias>', 'Add network-scoped alias for the container', collect, [])
    .option('--ip <address>', 'IPv4 address (e.g., "172.30.100.104")')
    .option('--mac-address <address>', 'MAC address')
    .action(async (network: string, container: string, flags: { alias: string[]; ip?: string; macAddress?: string }) => {
      const engine = await connectEngine(io);
      await connectNetwork(engine.http, network, container, {
        ...(flags.alias.length ? { Aliases: flags.alias } : {}),
        ...(flags.ip ? { IPAMConfig: { IPv4Address: flags.ip } } : {}),
        ...(flags.macAddress ? { MacAddress: flags.macAddress } : {}),
      });
    });
  const disconnect = new Command('disconnect')
    .description('Disconnect a container from a network')
    .argument('<network>')
    .argument('<container>')
    .option('-f, --force', 'Force the container to disconnect from a network', false)
    .action(async (network: string, container: string, flags: { force: boolean }) => {
      const engine = await connectEngine(io);
      await disconnectNetwork(engine.http, network, container, flags.force);
    });
  return [connect, disconnect];
}
