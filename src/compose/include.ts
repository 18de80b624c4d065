import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { isDict, type Dict } from './types.js';

/** One `include:` entry in its long form. */
export interface IncludeSpec {
  paths: string[]; // absolute
  projectDirectory: string; // absolute
  envFiles: string[]; // absolute
}

/** Loads an included project's files (merged, paths resolved against its own project directory). */
export type IncludedProjectLoader = (spec: IncludeSpec, chain: readonly string[]) => Dict;

/** The top-level sections an included project contributes to the including one. */
const IMPORTED_SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs', 'models'] as const;

/** Imports every `include:` entry of a file into its model; a resource defined differently on both sides is an error. */
export function applyIncludes(model: Dict, file: string, load: IncludedProjectLoader, chain: readonly string[]): Dict {
  const entries = Array.isArray(model.include) ? model.include : [];
  if (entries.length === 0) return model;
  const { include: _done, ...result } = model;
  for (const entry of entries) {
    const spec = includeSpec(entry, dirname(file), file);
    for (const path of spec.paths) {
      if (chain.includes(path)) throw new UserError(`include cycle detected: ${[...chain, path].join(' -> ')}`, { file });
    }
    importResources(result, load(spec, chain), spec.paths[0]!, file);
  }
  return result;
}

function includeSpec(entry: unknown, baseDir: string, file: string): IncludeSpec {
  const long = typeof entry === 'string' ? { path: [entry] } : entry;
  if (!isDict(long)) throw new UserError('include entries must be a path or a mapping', { file });
  const rawPaths = Array.isArray(long.path) ? long.path : [long.path];
  const paths = rawPaths.map((p) => resolve(baseDir, String(p)));
  if (paths.length === 0) throw new UserError('include: path is required', { file });
  const projectDirectory =
    typeof long.project_directory === 'string' ? resolve(baseDir, long.project_directory) : dirname(paths[0]!);
  const rawEnv = long.env_file === undefined ? [] : Array.isArray(long.env_file) ? long.env_file : [long.env_file];
  return { paths, projectDirectory, envFiles: rawEnv.map((p) => resolve(baseDir, String(p))) };
}

function importResources(target: Dict, included: Dict, includedFile: string, file: string): void {
  for (const section of IMPORTED_SECTIONS) {
    const imported = included[section];
    if (!isDict(imported)) continue;
    const existing = isDict(target[section]) ? { ...(target[section] as Dict) } : {};
    for (const [name, value] of Object.entries(imported)) {
      if (name in existing && !sameValue(existing[name], value)) {
        throw new UserError(`imported compose file ${includedFile} defines conflicting ${singular(section)} ${name}`, { file });
      }
      existing[name] = value;
    }
    target[section] = existing;
  }
}

function singular(section: string): string {
  return section.replace(/s$/, '');
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
