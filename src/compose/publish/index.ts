/**
 * `publish`: a Compose application as an OCI artifact. Refusals first (exit 1), then one question per kind of
 * finding (bind mounts, env declarations) with every finding listed, then the push (skipped by --dry-run).
 */
import type { LoadedProject } from '../loader.js';
import type { AuthConfig } from '../../image/registry/credentials.js';
import { isDict, type Dict } from '../types.js';
import { bindMountFindings, envFindings } from './findings.js';
import { imageDigestsYaml } from './image-digests.js';
import { buildLayers, layer, type Layer } from './layers.js';
import { ANNOTATIONS, COMPOSE_MEDIA_TYPES, type OciVersion } from './media-types.js';
import { bindMountQuestion, envQuestion } from './prompts.js';
import { publishTarget, pushArtifact } from './push.js';
import { checkPublishable } from './refusals.js';
import { readSourceFiles, type SourceFile } from './source-files.js';

export { COMPOSE_MEDIA_TYPES, ANNOTATIONS, type OciVersion };

export interface PublishOptions {
  repository: string;
  withEnv: boolean;
  resolveImageDigests: boolean;
  ociVersion?: OciVersion;
  dryRun: boolean;
  composeVersion: string;
}

export interface PublishIO {
  /** Asks a yes/no question; false when declined (or nobody can answer). */
  confirm: (question: string) => Promise<boolean>;
  /** docker compose's progress lines: "<repo> publishing", "<repo> published". */
  status: (text: string) => void;
  env: NodeJS.ProcessEnv;
  credentials: (domain: string) => AuthConfig | undefined;
}

export type PublishOutcome = { kind: 'declined' } | { kind: 'published'; digest?: string; layers: Layer[] };

export async function publishProject(project: LoadedProject, opts: PublishOptions, io: PublishIO): Promise<PublishOutcome> {
  const target = publishTarget(opts.repository);
  // Profiles do not filter what is published: a consumer may enable any of them.
  const allServices = isDict(project.allServicesModel.services) ? (project.allServicesModel.services as Dict) : {};
  const files = readSourceFiles(project.configFiles);
  checkPublishable(files, allServices);
  if (!(await confirmFindings(files, allServices, opts, io))) return { kind: 'declined' };
  const layers = buildLayers(files, { withEnv: opts.withEnv, projectDir: project.workingDir, version: opts.composeVersion });
  if (opts.resolveImageDigests) {
    const yaml = await imageDigestsYaml(allServices, { env: io.env, credentials: io.credentials });
    layers.push(layer(COMPOSE_MEDIA_TYPES.file, Buffer.from(yaml), { [ANNOTATIONS.file]: 'image-digests.yaml' }, opts.composeVersion));
  }
  io.status(`${opts.repository} publishing`);
  if (opts.dryRun) {
    io.status(`${opts.repository} published`);
    return { kind: 'published', layers };
  }
  const auth = io.credentials(target.domain);
  const digest = await pushArtifact(target, layers, {
    env: io.env,
    composeVersion: opts.composeVersion,
    ...(opts.ociVersion ? { ociVersion: opts.ociVersion } : {}),
    ...(auth ? { auth } : {}),
  });
  io.status(`${opts.repository} published`);
  return { kind: 'published', digest, layers };
}

/** Bind mounts first, then env declarations (unless --with-env): a "no" to either stops everything. */
async function confirmFindings(files: SourceFile[], allServices: Dict, opts: PublishOptions, io: PublishIO): Promise<boolean> {
  const binds = bindMountFindings(allServices);
  if (binds.size > 0 && !(await io.confirm(bindMountQuestion(binds)))) return false;
  const env = opts.withEnv ? new Map() : envFindings(files);
  return env.size === 0 || io.confirm(envQuestion(env));
}
