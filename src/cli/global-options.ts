import { Command, Option } from 'commander';
import type { LoadOptions } from '../compose/loader.js';
import { UserError } from '../errors.js';
import { readFileSync } from 'node:fs';
import { warnTo, type CliIO } from './io.js';

/** The flags docker compose accepts before its subcommand; each has a COMPOSE_* variable as well. */
export interface GlobalFlags {
  file: string[];
  projectName?: string;
  profile: string[];
  envFile: string[];
  projectDirectory?: string;
  ansi: 'never' | 'always' | 'auto';
  progress: 'auto' | 'tty' | 'plain' | 'json' | 'quiet';
  dryRun: boolean;
  debug: boolean;
  parallel?: string;
  compatibility: boolean;
  allResources: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addGlobalOptions(program: Command): Command {
  return program
    .option('-f, --file <file>', 'Compose configuration files', collect, [])
    .option('-p, --project-name <name>', 'Project name')
    .option('--profile <profile>', 'Specify a profile to enable', collect, [])
    .option('--env-file <path>', 'Specify an alternate environment file', collect, [])
    .option('--project-directory <path>', 'Specify an alternate working directory (default: the path of the first Compose file)')
    .addOption(new Option('--ansi <when>', 'Control when to print ANSI control characters').choices(['never', 'always', 'auto']).default('auto').env('COMPOSE_ANSI'))
    .addOption(new Option('--progress <type>', 'Set type of progress output').choices(['auto', 'tty', 'plain', 'json', 'quiet']).default('auto').env('COMPOSE_PROGRESS'))
    .addOption(new Option('--parallel <n>', 'Control max parallelism, -1 for unlimited').env('COMPOSE_PARALLEL_LIMIT'))
    .option('--dry-run', 'Execute command in dry run mode', false)
    .option('--compatibility', 'Run compose in backward compatibility mode (container names with underscores)', false)
    .option('--all-resources', 'Include all resources, even those not used by services', false)
    .option('--debug', 'Print stack traces of errors', false)
    .option('--verbose', 'Show more output (accepted for docker compose compatibility; --debug adds stack traces)', false);
}

/** Global flags of the root program, whatever subcommand is running. */
export function globalFlags(command: Command): GlobalFlags {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalFlags>();
}

/** Turns global flags and COMPOSE_* variables into loader options. */
export function loadOptions(flags: GlobalFlags, io: CliIO, extra: Partial<LoadOptions> = {}): LoadOptions {
  const envFiles = flags.envFile.length > 0 ? flags.envFile : splitList(io.env.COMPOSE_ENV_FILES);
  return {
    workingDir: io.cwd,
    files: flags.file,
    projectDirectory: flags.projectDirectory,
    projectName: flags.projectName,
    envFiles,
    profiles: flags.profile,
    osEnv: io.env,
    interpolate: true,
    resolvePaths: true,
    readStdin: io.readStdin,
    warn: warnTo(io),
    ...extra,
  };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').filter((s) => s !== '');
}

/** Reads all of standard input (for `-f -`). */
export function readAllStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the compose file from standard input: ${(e as Error).message}`);
  }
}
