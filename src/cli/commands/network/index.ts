import { Command } from 'commander';
import type { CliIO } from '../../io.js';
import { connectCommands } from './connect.js';
import { createCommand } from './create.js';
import { listCommands } from './list.js';

/** `tscompose network ...`: Docker's network commands (bridge networks). */
export function networkCommand(io: CliIO): Command {
  const network = new Command('network').description('Manage networks');
  for (const sub of [createCommand(io), ...listCommands(io), ...connectCommands(io)]) network.addCommand(sub);
  return network;
}
