import type { Command } from 'commander';
import type { CliIO } from '../../io.js';
import { buildCommand } from './build.js';
import { cpCommand } from './cp.js';
import { createCommand, scaleCommand } from './create.js';
import { downCommand } from './down.js';
import { execCommand } from './exec.js';
import { inspectCommands } from './inspect.js';
import { lifecycleCommands } from './lifecycle.js';
import { logsCommand } from './logs.js';
import { psCommand } from './ps.js';
import { publishCommand } from './publish.js';
import { pullCommand } from './pull.js';
import { pushCommand } from './push.js';
import { runCommand } from './run.js';
import { upCommand } from './up.js';

/** The docker compose commands, at the top level of `tscompose` as in `docker compose`. */
export function composeCommands(io: CliIO): Command[] {
  return [upCommand(io), downCommand(io), buildCommand(io), psCommand(io), logsCommand(io), execCommand(io), cpCommand(io), runCommand(io), createCommand(io), scaleCommand(io), pullCommand(io), pushCommand(io), publishCommand(io), ...lifecycleCommands(io), ...inspectCommands(io)];
}
