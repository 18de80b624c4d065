import { dirname } from 'node:path';
import { parse } from 'yaml';
import { toComposeYaml } from '../../src/compose/emit/text.js';
import { renderForConfig } from '../../src/compose/emit/index.js';
import { loadProject, type LoadedProject, type LoadOptions } from '../../src/compose/loader.js';
import type { Dict } from '../../src/compose/types.js';

/** Loads compose files in-process as `tscompose -f ... config` would, with a given environment. */
export function loadFiles(files: string[], env: NodeJS.ProcessEnv = {}, extra: Partial<LoadOptions> = {}): LoadedProject {
  const warnings: string[] = [];
  return loadProject({
    workingDir: dirname(files[0]!),
    files,
    envFiles: [],
    profiles: [],
    osEnv: { HOME: '/h', ...env },
    interpolate: true,
    resolvePaths: true,
    readStdin: () => '',
    warn: (m) => warnings.push(m),
    ...extra,
  });
}

/** The data `config` prints (after key ordering), re-read from its YAML text as a user would see it. */
export function configOutput(project: LoadedProject): Dict {
  return parse(toComposeYaml(renderForConfig(project.model))) as Dict;
}
