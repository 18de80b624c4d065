import { pathExists } from './file-facts.js';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

/** The names docker compose looks for, in its order of preference. */
export const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const DEFAULT_OVERRIDE_FILES = [
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

/** `-` stands for standard input, as in docker compose. */
export const STDIN_FILE = '-';

/**
 * The compose files of a project: the `-f` flags, else COMPOSE_FILE, else the first default name found in the
 * working directory or one of its parents, plus the matching override file beside it.
 */
export function discoverComposeFiles(opts: {
  files: string[];
  composeFileVariable: string | undefined;
  pathSeparator: string | undefined;
  workingDir: string;
  warn: (message: string) => void;
}): string[] {
  if (opts.files.length > 0) return opts.files.map((f) => (f === STDIN_FILE ? f : resolve(opts.workingDir, f)));
  if (opts.composeFileVariable) {
    const separator = opts.pathSeparator || ':';
    return opts.composeFileVariable
      .split(separator)
      .filter((f) => f !== '')
      .map((f) => resolve(opts.workingDir, f));
  }
  return searchUpwards(opts.workingDir, opts.warn);
}

function searchUpwards(start: string, warn: (message: string) => void): string[] {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const found = DEFAULT_COMPOSE_FILES.filter((name) => pathExists(join(dir, name)));
    if (found.length > 0) {
      if (found.length > 1) {
        warn(`Found multiple config files with supported names: ${found.map((f) => join(dir, f)).join(', ')}`);
        warn(`Using ${join(dir, found[0]!)}`);
      }
      const override = DEFAULT_OVERRIDE_FILES.find((name) => pathExists(join(dir, name)));
      return [join(dir, found[0]!), ...(override ? [join(dir, override)] : [])];
    }
    if (dirname(dir) === dir) break;
  }
  throw new NoConfigFileError(
    `no configuration file provided: not found (looked for ${DEFAULT_COMPOSE_FILES.join(', ')} in ${start} and its parents)`,
  );
}

/** No compose file where discovery looked (commands acting on existing containers may go on from `-p` alone). */
export class NoConfigFileError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'NoConfigFileError';
  }
}
