import { serviceConfigHash } from '../config-hash.js';
import { renderForConfig } from '../emit/index.js';
import type { LoadedProject } from '../loader.js';
import { isDict, type Dict, type VariableLookup } from '../types.js';
import { UserError } from '../../errors.js';
import { containerName } from './labels.js';

/** One service as `up` wants it. */
export interface DesiredService {
  name: string;
  config: Dict; // as `config` renders it: long forms, resolved paths
  replicas: number;
  hash: string;
  image: string;
  /** The image's ID once `up` has made sure it exists (a different one on a container means recreate). */
  imageId?: string;
  containerNames: string[]; // index i = container number i+1
}

/** The project as `up` wants it: its services, networks and volumes, in the engine's names. */
export interface DesiredProject {
  name: string;
  workingDir: string;
  configFiles: string[];
  services: DesiredService[];
  networks: Array<{ key: string; name: string; external: boolean; config: Dict }>;
  volumes: Array<{ key: string; name: string; external: boolean; config: Dict }>;
  /** The rendered model (top-level secrets and configs are read from it). */
  model: Dict;
  /** The project's variables (secrets and configs from `environment`). */
  lookup: VariableLookup;
  /** Those of included projects, resolved by the loader (LoadedProject.includedContents). */
  includedContents: Record<string, string>;
}

/** `--scale web=3` wins over `scale:` and `deploy.replicas`. */
export function desiredProject(project: LoadedProject, scale: Record<string, number> = {}, opts: { compatibility?: boolean } = {}): DesiredProject {
  const model = renderForConfig(project.model);
  const services = isDict(model.services) ? model.services : {};
  return {
    name: project.name,
    workingDir: project.workingDir,
    configFiles: project.configFiles,
    services: Object.entries(services).map(([name, config]) => desiredService(project.name, name, config as Dict, scale[name], opts.compatibility === true)),
    networks: resources(model.networks),
    volumes: resources(model.volumes),
    model,
    lookup: project.environment.lookup,
    includedContents: project.includedContents ?? {},
  };
}

function desiredService(projectName: string, name: string, config: Dict, scaleFlag: number | undefined, compatibility: boolean): DesiredService {
  const deploy = isDict(config.deploy) ? config.deploy : {};
  const replicas = scaleFlag ?? numberOr(config.scale, numberOr(deploy.replicas, 1));
  if (typeof config.container_name === 'string' && replicas > 1) {
    throw new UserError(`services.${name}: container_name "${config.container_name}" cannot be used with more than one replica (scale ${replicas})`);
  }
  const names = Array.from({ length: replicas }, (_, i) => (typeof config.container_name === 'string' ? config.container_name : containerName(projectName, name, i + 1, compatibility)));
  return {
    name,
    config,
    replicas,
    hash: serviceConfigHash(config),
    image: typeof config.image === 'string' ? config.image : `${projectName}-${name}`,
    containerNames: names,
  };
}

function resources(section: unknown): DesiredProject['networks'] {
  return Object.entries(isDict(section) ? section : {}).map(([key, value]) => {
    const config = isDict(value) ? value : {};
    return { key, name: String(config.name ?? key), external: config.external === true, config };
  });
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
