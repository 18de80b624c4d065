import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { parseDotEnv } from './dotenv.js';
import { isRegularFile, pathExists, readTextFile } from './file-facts.js';
import type { VariableLookup } from './types.js';

/** The variables a project interpolates with: `.env` (or `--env-file`s) under the OS environment, which wins. */
export interface ProjectEnvironment {
  /** Every variable, as `config --environment` prints them. */
  readonly values: ReadonlyMap<string, string>;
  /** The variables from `.env` or `--env-file`s (the OS environment overrides them). */
  readonly fromFiles: ReadonlyMap<string, string>;
  readonly lookup: VariableLookup;
}

export function loadProjectEnvironment(opts: {
  osEnv: NodeJS.ProcessEnv;
  envFiles: string[];
  workingDir: string;
  defaultDir: string;
}): ProjectEnvironment {
  const fromFiles = new Map<string, string>();
  const lookup = (name: string): string | undefined => opts.osEnv[name] ?? fromFiles.get(name);
  for (const file of envFilesToRead(opts)) {
    for (const [key, value] of parseEnvFile(file, lookup)) fromFiles.set(key, value);
  }
  return projectEnvironment(opts.osEnv, fromFiles);
}

/** The project environment made of these OS variables and these variables from files. */
export function projectEnvironment(osEnv: NodeJS.ProcessEnv, fromFiles: ReadonlyMap<string, string>): ProjectEnvironment {
  const values = new Map(fromFiles);
  for (const [key, value] of Object.entries(osEnv)) if (value !== undefined) values.set(key, value);
  return { values, fromFiles, lookup: (name) => osEnv[name] ?? fromFiles.get(name) };
}

function envFilesToRead(opts: { envFiles: string[]; workingDir: string; defaultDir: string }): string[] {
  if (opts.envFiles.length > 0) {
    return opts.envFiles.map((f) => {
      const path = resolve(opts.workingDir, f);
      if (!pathExists(path)) throw new UserError(`couldn't find env file: ${path}`);
      return path;
    });
  }
  const dotEnv = join(opts.defaultDir, '.env');
  return isRegularFile(dotEnv) ? [dotEnv] : [];
}

/** Reads one env file; its parse errors name the file. */
export function parseEnvFile(file: string, lookup: VariableLookup): Map<string, string> {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (e) {
    throw new UserError(`failed to read env file ${file}: ${(e as Error).message}`);
  }
  return parseDotEnv(text, lookup, { file });
}
