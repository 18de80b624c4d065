import { Command, CommanderError } from 'commander';
import { InternalError, UserError } from '../errors.js';
import { composeCommands } from './commands/compose/index.js';
import { configCommand } from './commands/config.js';
import { containerCommand } from './commands/container/index.js';
import { engineCommand } from './commands/engine.js';
import { imageCommand } from './commands/image/index.js';
import { builderCommand } from './commands/builder.js';
import { loginCommand, logoutCommand } from './commands/image/login.js';
import { graphCommand } from './commands/graph.js';
import { networkCommand } from './commands/network/index.js';
import { versionCommand } from './commands/version.js';
import { volumeCommand } from './commands/volume/index.js';
import { addGlobalOptions } from './global-options.js';
import { CommandExit, type CliIO } from './io.js';
import { VERSION } from '../version.js';

/** The whole command tree; commands throw, `runCli` maps what they throw to an exit code. */
export function createProgram(io: CliIO): Command {
  const program = addGlobalOptions(new Command('tscompose'))
    .description('Define and run multi-container applications, with an engine of its own')
    .version(`tscompose version v${VERSION}`, '-v, --version', 'Show the tscompose version information (as `version`)')
    .enablePositionalOptions();
  for (const command of [...composeCommands(io), configCommand(io), graphCommand(io), versionCommand(io), containerCommand(io), imageCommand(io), builderCommand(io), networkCommand(io), volumeCommand(io), engineCommand(io), loginCommand(io), logoutCommand(io)]) {
    program.addCommand(command);
  }
  throwInsteadOfExit(program, io);
  return program;
}

/** commander copies these settings only to subcommands made with .command(); ours are built apart, so set them all. */
function throwInsteadOfExit(command: Command, io: CliIO): void {
  command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const sub of command.commands) throwInsteadOfExit(sub, io);
}

/** Runs the CLI; returns the exit code. Errors are one line unless --debug asks for the stack. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    await createProgram(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e, io, debug);
  }
}

function reportError(e: unknown, io: CliIO, debug: boolean): number {
  if (e instanceof CommandExit) return e.exitCode;
  if (e instanceof CommanderError) {
    // commander already printed its message (or help/version output, with exit code 0)
    return e.exitCode;
  }
  if (e instanceof UserError) {
    io.stderr(`${e.describe()}\n`);
    if (debug && e.stack) io.stderr(`${e.stack}\n`);
    return e.exitCode;
  }
  const error = e instanceof Error ? e : new InternalError(String(e));
  io.stderr(`internal error: ${error.message}\n`);
  io.stderr(debug ? `${error.stack ?? ''}\n` : 'This is a bug in tscompose; rerun with --debug for the stack trace.\n');
  return 2;
}
