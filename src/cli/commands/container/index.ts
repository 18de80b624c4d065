import { Command } from 'commander';
import type { CliIO } from '../../io.js';
import { cpCommand } from './cp.js';
import { execCommand } from './exec.js';
import { inspectCommands } from './inspect.js';
import { lifecycleCommands } from './lifecycle.js';
import { logsCommand } from './logs.js';
import { runCommand } from './run.js';
import { statsCommand } from './stats.js';

/** `tscompose container ...`: single containers, Docker-style. */
export function containerCommand(io: CliIO): Command {
  const container = new Command('container').description('Manage containers').enablePositionalOptions();
  for (const sub of [runCommand(io), ...lifecycleCommands(io), ...inspectCommands(io), logsCommand(io), execCommand(io), statsCommand(io), cpCommand(io)]) {
    container.addCommand(sub);
  }
  return container;
}
