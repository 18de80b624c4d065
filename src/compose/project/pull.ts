import type { EngineApi } from '../../engine/client/engine-api.js';
import { pullImage } from '../../engine/client/image-transfer.js';
import type { AuthConfig } from '../../image/registry/credentials.js';
import { UserError } from '../../errors.js';
import { isDict } from '../types.js';
import type { DesiredProject, DesiredService } from './desired.js';
import type { ProgressSink } from './progress.js';

export type PullPolicy = 'always' | 'missing' | 'never' | 'build' | 'refresh';

export interface PullOptions {
  /** `--pull` (up/run) or `--policy` (pull): wins over each service's `pull_policy`. */
  policy?: PullPolicy | undefined;
  credentialsFor: (image: string) => AuthConfig | undefined;
  ignoreFailures?: boolean;
  warn: (message: string) => void;
}

/** `pull_policy` spellings Compose accepts, as the four decisions. */
function policyOf(service: DesiredService, flag: PullPolicy | undefined): PullPolicy {
  const declared = String(service.config.pull_policy ?? 'missing');
  const policy = flag ?? (declared === 'if_not_present' ? 'missing' : declared === 'daily' || declared === 'weekly' || declared.startsWith('every_') ? 'missing' : declared);
  return (['always', 'missing', 'never', 'build', 'refresh'].includes(policy) ? policy : 'missing') as PullPolicy;
}

const hasBuild = (service: DesiredService): boolean => isDict(service.config.build);

/**
 * Before `up` creates containers: each service's image is pulled when its policy says so (missing locally by
 * default); a service to be built from a Dockerfile cannot be, yet, and says so.
 */
export async function ensureImages(engine: EngineApi, project: DesiredProject, services: string[], progress: ProgressSink, opts: PullOptions): Promise<void> {
  const seen = new Set<string>();
  for (const service of project.services.filter((s) => services.includes(s.name))) {
    if (seen.has(service.image)) continue;
    seen.add(service.image);
    const policy = policyOf(service, opts.policy);
    const present = await engine.inspectImage(service.image).then(() => true, () => false);
    if (policy === 'never' || (present && policy !== 'always' && policy !== 'refresh')) {
      if (!present) throw new UserError(`image ${service.image} not found locally, and service "${service.name}" has pull_policy: never`);
      continue;
    }
    if (hasBuild(service) && (!present || policy === 'build')) {
      throw new UserError(`service "${service.name}" needs its image ${service.image} built from its Dockerfile, and tscompose cannot build images yet`);
    }
    await pullOne(engine, service.image, progress, opts);
  }
}

/** One pull through the engine, as docker compose reports it: `Image alpine:3.14 Pulling` … `Pulled`. */
export async function pullOne(engine: EngineApi, image: string, progress: ProgressSink, opts: Pick<PullOptions, 'credentialsFor'>): Promise<void> {
  progress({ kind: 'Image', name: image, status: 'Pulling' });
  try {
    const auth = opts.credentialsFor(image);
    for await (const _message of await pullImage(engine.http, { image, ...(auth ? { auth } : {}) })) {
      // layer progress is the image commands' business; compose shows the image's state only
    }
  } catch (e) {
    progress({ kind: 'Image', name: image, status: 'Error', detail: (e as Error).message, done: true, error: true });
    throw e;
  }
  progress({ kind: 'Image', name: image, status: 'Pulled', done: true });
}

/** `tscompose pull`: every service image (skipping what cannot or need not be pulled, as docker compose does). */
export async function pullProject(engine: EngineApi, project: DesiredProject, services: string[], progress: ProgressSink, opts: PullOptions & { ignoreBuildable: boolean }): Promise<void> {
  const failures: string[] = [];
  const mustBuild: string[] = [];
  for (const service of project.services.filter((s) => services.includes(s.name))) {
    if (typeof service.config.image !== 'string') {
      progress({ kind: 'Image', name: service.name, status: 'Skipped No image to be pulled', done: true });
      if (hasBuild(service)) mustBuild.push(service.name);
      continue;
    }
    const declared = String(service.config.pull_policy ?? '');
    const policy: PullPolicy = opts.policy ?? (declared === 'never' || declared === 'build' ? declared : 'always');
    const present = await engine.inspectImage(service.image).then(() => true, () => false);
    // without --policy a pinned tag already here is kept; `latest` (or no tag) is refreshed, as docker compose pull does
    const pinned = opts.policy === undefined && !/:latest$/.test(service.image) && /:[\w][\w.-]*$/.test(service.image.split('/').pop() ?? '');
    if (present && (pinned || policy === 'missing' || policy === 'never' || (policy === 'build' && hasBuild(service)))) {
      progress({ kind: 'Image', name: service.image, status: 'Skipped Image is already present locally', done: true });
      continue;
    }
    if (hasBuild(service) && opts.ignoreBuildable) continue;
    try {
      await pullOne(engine, service.image, progress, opts);
    } catch (e) {
      if (hasBuild(service)) mustBuild.push(service.name);
      else failures.push((e as Error).message);
    }
  }
  if (mustBuild.length) opts.warn(`Some service image(s) must be built from source by running:\n    docker compose build ${mustBuild.join(' ')}`);
  if (failures.length && !opts.ignoreFailures) throw new UserError(failures[0]!);
}
