import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { buildServiceGraph } from '../graph/dependency-graph.js';
import { canonicalize } from './canonical/index.js';
import { discoverComposeFiles, NoConfigFileError, STDIN_FILE } from './discovery.js';
import { readTextFile } from './file-facts.js';
import { loadProjectEnvironment, parseEnvFile, type ProjectEnvironment } from './environment.js';
import { applyExtends } from './extends.js';
import { applyIncludes, type IncludeSpec } from './include.js';
import { interpolateModel } from './interpolate/index.js';
import { mergeFiles } from './merge/index.js';
import { normalizeProject } from './normalize/index.js';
import { resolveRelativePaths } from './normalize/resolve-paths.js';
import { parseComposeText } from './parse.js';
import { substitute } from './template.js';
import { applyProfiles, enabledProfiles } from './profiles.js';
import { checkProjectName, resolveProjectName } from './project-name.js';
import { isDict, type Dict, type ParsedFile, type VariableLookup } from './types.js';
import { validateComposeDict } from './validate/index.js';

/** What the CLI (or a test) asks the loader for; every field maps to a docker compose flag or variable. */
export interface LoadOptions {
  workingDir: string;
  files: string[]; // -f, in order; empty = discover
  projectDirectory?: string | undefined;
  projectName?: string | undefined; // -p
  envFiles: string[]; // --env-file
  profiles: string[]; // --profile
  services?: string[]; // services named on the command line (they enable their profiles)
  osEnv: NodeJS.ProcessEnv;
  interpolate: boolean;
  resolvePaths: boolean;
  /**
   * ps, logs, down: with a project name (-p, COMPOSE_PROJECT_NAME) and no compose file found, go on with the
   * project's containers alone, as docker compose does (`docker compose -p ci-42 down` after a CI job).
   */
  allowNoFiles?: boolean;
  /** false = `config --no-consistency`: unknown dependencies are not errors. */
  checkConsistency?: boolean;
  readStdin: () => string;
  warn: (message: string) => void;
}

export interface LoadedProject {
  name: string;
  workingDir: string;
  configFiles: string[];
  environment: ProjectEnvironment;
  /** No compose file: only the name is known; the services are whatever containers carry the project's label. */
  fromLabels?: boolean;
  /** The model before profiles were applied: every service (for `config --profiles`, `--services` of all). */
  allServicesModel: Dict;
  /** The canonical, normalized model of the active services, as `config` prints it (before key ordering). */
  model: Dict;
  /**
   * Values of the `environment:` secrets and configs an included project defines, keyed `secrets/NAME` or
   * `configs/NAME`, as that include's environment gives them (the including project's variables, then the include's
   * `env_file`), resolved where the file is loaded as compose-go does. The project's own are looked up in its
   * environment when a container is created.
   */
  includedContents?: Record<string, string>;
}

/** Per-file settings shared by the files of one (possibly included) project. */
interface FileContext {
  lookup: VariableLookup;
  homeDir: string;
  interpolate: boolean;
  warn: (message: string) => void;
  readStdin: () => string;
  includeChain: readonly string[];
  /** Files parsed so far: a file (stdin above all) is read and parsed once even when two phases need it. */
  parsed: Map<string, ParsedFile>;
  /** See LoadedProject.includedContents; a nested include's value, recorded first, wins. */
  includedContents: Map<string, string>;
}

/** The loader phases for one file, in order: parse → interpolate → validate → canonicalize → extends → include. */
function loadComposeFile(file: string, ctx: FileContext): Dict {
  const raw = loadRawFile(file, ctx);
  const extended = applyExtends(raw, file, { loadRaw: (other) => loadRawFile(other, ctx), homeDir: ctx.homeDir });
  return applyIncludes(extended, file, (spec, chain) => loadIncludedProject(spec, ctx, chain), [
    ...ctx.includeChain,
    file,
  ]);
}

function loadRawFile(file: string, ctx: FileContext): Dict {
  const parsed = parseComposeFile(file, ctx);
  const data = ctx.interpolate
    ? interpolateModel(parsed.data, { lookup: ctx.lookup, locate: parsed.locate, file: parsed.file, warn: ctx.warn })
    : parsed.data;
  validateComposeDict(emptyServicesAsMappings(data), parsed.file, parsed.locate);
  if ('version' in data) {
    ctx.warn(`${parsed.file}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`);
  }
  const { version: _obsolete, ...rest } = emptyServicesAsMappings(data);
  return canonicalize(rest);
}

/** `services: {web: }` (a service with nothing under it) is an empty service to docker compose, not an error. */
function emptyServicesAsMappings(data: Dict): Dict {
  if (!isDict(data.services)) return data;
  const services = Object.fromEntries(Object.entries(data.services).map(([name, s]) => [name, s === null ? {} : s]));
  return { ...data, services };
}

function parseComposeFile(file: string, ctx: FileContext): ParsedFile {
  let parsed = ctx.parsed.get(file);
  if (parsed === undefined) {
    parsed = parseComposeText(readFromDisk(file, ctx), displayName(file));
    ctx.parsed.set(file, parsed);
  }
  return parsed;
}

function readFromDisk(file: string, ctx: FileContext): string {
  if (file === STDIN_FILE) return ctx.readStdin();
  try {
    return readTextFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : (e as Error).message;
    throw new UserError(`open ${file}: ${why}`);
  }
}

function displayName(file: string): string {
  return file === STDIN_FILE ? '<stdin>' : file;
}

/** An included project: its own folder and env, its files merged, its relative paths made absolute. */
function loadIncludedProject(spec: IncludeSpec, parent: FileContext, chain: readonly string[]): Dict {
  const fromFiles = new Map<string, string>();
  const envFiles = spec.envFiles.length > 0 ? spec.envFiles : [];
  for (const file of envFiles) for (const [k, v] of parseEnvFile(file, parent.lookup)) fromFiles.set(k, v);
  // The including project's environment wins, so that it can override what an included project sets (compose-go's
  // Mapping.Merge only adds what is not defined yet).
  const lookup: VariableLookup = (name) => parent.lookup(name) ?? fromFiles.get(name);
  const ctx: FileContext = { ...parent, lookup, includeChain: chain };
  const merged = mergeFiles(spec.paths.map((p) => loadComposeFile(p, ctx)));
  recordEnvironmentContents(merged, lookup, ctx.includedContents);
  return resolveRelativePaths(merged, spec.projectDirectory, ctx.homeDir);
}

function recordEnvironmentContents(model: Dict, lookup: VariableLookup, into: Map<string, string>): void {
  for (const kind of ['secrets', 'configs'] as const) {
    for (const [name, def] of Object.entries(isDict(model[kind]) ? model[kind] : {})) {
      const value = isDict(def) && typeof def.environment === 'string' ? lookup(def.environment) : undefined;
      if (value !== undefined && !into.has(`${kind}/${name}`)) into.set(`${kind}/${name}`, value);
    }
  }
}

/** Loads a whole project as docker compose does: discovery, env, every file's phases, merge, normalize, profiles. */
export function loadProject(opts: LoadOptions): LoadedProject {
  const firstFile = opts.files.find((f) => f !== STDIN_FILE);
  const envDir = resolve(opts.workingDir, opts.projectDirectory ?? (firstFile ? dirname(resolve(opts.workingDir, firstFile)) : '.'));
  let environment = loadProjectEnvironment({ osEnv: opts.osEnv, envFiles: opts.envFiles, workingDir: opts.workingDir, defaultDir: envDir });
  let configFiles: string[];
  try {
    configFiles = discoverComposeFiles({
      files: opts.files,
      composeFileVariable: environment.lookup('COMPOSE_FILE'),
      pathSeparator: environment.lookup('COMPOSE_PATH_SEPARATOR'),
      workingDir: opts.workingDir,
      warn: opts.warn,
    });
  } catch (e) {
    const named = opts.projectName || environment.lookup('COMPOSE_PROJECT_NAME');
    if (!(e instanceof NoConfigFileError) || !opts.allowNoFiles || !named) throw e;
    const empty = { services: {} };
    return { name: checkProjectName(named), workingDir: opts.workingDir, configFiles: [], environment, fromLabels: true, allServicesModel: empty, model: empty };
  }
  const projectDir = projectDirectory(opts, configFiles);
  if (projectDir !== envDir && opts.envFiles.length === 0) {
    // The compose file was found in a parent folder: its .env is the project's.
    environment = loadProjectEnvironment({ osEnv: opts.osEnv, envFiles: [], workingDir: opts.workingDir, defaultDir: projectDir });
  }
  const homeDir = opts.osEnv.HOME || homedir();
  const ctx: FileContext = {
    lookup: environment.lookup,
    homeDir,
    interpolate: opts.interpolate,
    warn: opts.warn,
    readStdin: opts.readStdin,
    includeChain: [],
    parsed: new Map(),
    includedContents: new Map(),
  };
  const name = resolveProjectName({
    flag: opts.projectName,
    variable: environment.lookup('COMPOSE_PROJECT_NAME'),
    fileName: nameFromFiles(configFiles, ctx),
    projectDir,
  });
  // Files may refer to ${COMPOSE_PROJECT_NAME} even when it is not set: it is the project's name then.
  ctx.lookup = (variable) => environment.lookup(variable) ?? (variable === 'COMPOSE_PROJECT_NAME' ? name : undefined);
  const merged = mergeFiles(configFiles.map((f) => loadComposeFile(f, ctx)));
  const normalized = normalizeProject(merged, {
    projectName: name,
    workingDir: projectDir,
    lookup: environment.lookup,
    homeDir,
    resolvePaths: opts.resolvePaths,
    warn: opts.warn,
  });
  checkNamedServices(normalized, opts.services ?? []);
  const profiles = enabledProfiles(opts.profiles, environment.lookup('COMPOSE_PROFILES'));
  const model = applyProfiles(normalized, profiles, opts.services ?? []);
  if (opts.checkConsistency !== false) checkDependencies(model, opts.warn);
  const includedContents = ctx.includedContents.size > 0 ? { includedContents: Object.fromEntries(ctx.includedContents) } : {};
  return { name, workingDir: projectDir, configFiles, environment, allServicesModel: normalized, model, ...includedContents };
}

/** The top-level `name:` of the last file that sets one (interpolated), read before the full load needs it. */
function nameFromFiles(files: string[], ctx: FileContext): string | undefined {
  let name: string | undefined;
  for (const file of files) {
    const { data } = parseComposeFile(file, ctx);
    if (typeof data.name === 'string') name = ctx.interpolate ? substitute(data.name, ctx.lookup) : data.name;
  }
  return name;
}

function projectDirectory(opts: LoadOptions, configFiles: string[]): string {
  if (opts.projectDirectory) return resolve(opts.workingDir, opts.projectDirectory);
  const first = configFiles.find((f) => f !== STDIN_FILE);
  return first ? dirname(first) : opts.workingDir;
}

/** Unknown dependencies and cycles are errors of the project, reported before anything runs. */
function checkDependencies(model: Dict, warn: (message: string) => void): void {
  const services = isDict(model.services) ? model.services : {};
  buildServiceGraph(services as Parameters<typeof buildServiceGraph>[0], { warn });
}

function checkNamedServices(model: Dict, named: string[]): void {
  const services = isDict(model.services) ? model.services : {};
  for (const name of named) {
    if (!(name in services)) throw new UserError(`no such service: ${name}`);
  }
}
