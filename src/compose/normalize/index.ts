import type { Dict, VariableLookup } from '../types.js';
import { completeDependsOn } from './depends-on.js';
import { resolveBuildArgs, resolveServiceEnvironment, resolveServiceLabels, type EnvContext } from './environment.js';
import { attachDefaultNetwork } from './networks.js';
import { resolveRelativePaths } from './resolve-paths.js';
import { nameResources } from './resources.js';
import { SERVICE_RULES } from './service-defaults.js';
import { cloneData, eachService } from './tree.js';

export interface NormalizeContext {
  projectName: string; // already normalized
  workingDir: string; // absolute project directory
  lookup: VariableLookup; // process env + .env
  homeDir: string; // for `~` in paths
  resolvePaths: boolean; // false for `config --no-path-resolution`
  warn: (message: string) => void;
}

/**
 * The merged canonical model completed with what Compose leaves implicit: project name, the default
 * network, resource names, dependency defaults and implicit dependencies, build defaults, absolute
 * paths, and environment/labels read from env_file/label_file. Returns a new model.
 */
export function normalizeProject(model: Dict, ctx: NormalizeContext): Dict {
  const project = cloneData(model);
  project.name = ctx.projectName;
  attachDefaultNetwork(project);
  for (const [name, service] of eachService(project)) {
    for (const rule of SERVICE_RULES) rule(service, name);
    completeDependsOn(service);
  }
  nameResources(project, ctx.projectName, ctx.warn);
  const resolved = ctx.resolvePaths ? resolveRelativePaths(project, ctx.workingDir, ctx.homeDir) : project;
  resolveServiceFiles(resolved, ctx);
  return resolved;
}

/** Values that come from outside the compose files: project variables, env files, label files. */
function resolveServiceFiles(project: Dict, ctx: NormalizeContext): void {
  const envCtx: EnvContext = { lookup: ctx.lookup, workingDir: ctx.workingDir, warn: ctx.warn };
  for (const [, service] of eachService(project)) {
    resolveBuildArgs(service, ctx.lookup);
    resolveServiceEnvironment(service, envCtx);
    resolveServiceLabels(service, envCtx);
  }
}
