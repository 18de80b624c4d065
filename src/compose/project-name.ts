import { basename } from 'node:path';
import { UserError } from '../errors.js';

const VALID_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Where each candidate name came from, in docker compose's order of precedence. */
export interface ProjectNameSources {
  flag?: string | undefined; // -p / --project-name
  variable?: string | undefined; // COMPOSE_PROJECT_NAME (environment or .env)
  fileName?: string | undefined; // top-level `name:` of the merged model
  projectDir: string;
}

/** An explicit name must already be valid; a folder name is normalized to `[a-z0-9_-]`. */
export function resolveProjectName(sources: ProjectNameSources): string {
  for (const explicit of [sources.flag, sources.variable, sources.fileName]) {
    if (explicit !== undefined && explicit !== '') return checkProjectName(explicit);
  }
  const fromFolder = normalizeProjectName(basename(sources.projectDir));
  if (fromFolder === '') {
    throw new UserError(
      `project name can't be derived from the folder "${basename(sources.projectDir)}": set one with -p or a top-level "name:"`,
    );
  }
  return fromFolder;
}

export function checkProjectName(name: string): string {
  if (!VALID_PROJECT_NAME.test(name)) {
    throw new UserError(
      `invalid project name "${name}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
    );
  }
  return name;
}

/** Lower-cases and drops what a project name may not hold, as Compose does for folder names. */
export function normalizeProjectName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}
