import type { EngineApi } from '../../engine/client/engine-api.js';
import { pullImage } from '../../engine/client/image-transfer.js';
import type { AuthConfig } from '../../image/registry/credentials.js';
import { UserError } from '../../errors.js';
import type { DesiredProject, DesiredService } from './desired.js';
import type { ProgressSink } from './progress.js';
import { buildServices, hasBuild, type BuildOptions } from './build.js';

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

export interface EnsureOptions extends PullOptions {
  /** `--build` (always), `--no-build` (never), or neither: build what is missing or has `pull_policy: build`. */
  build?: 'always' | 'never';
  buildOptions?: Omit<BuildOptions, 'progress'>;
}

/**
 * Before `up`/`run`/`create` make containers: images to build are built (missing, `--build`, or `pull_policy:
 * build`), the others pulled when their policy says so (missing locally by default). Each service then knows
 * the image ID it runs, so a rebuilt or re-pulled image recreates its containers.
 */
export async function ensureImages(engine: EngineApi, project: DesiredProject, services: string[], progress: ProgressSink, opts: EnsureOptions): Promise<void> {
  const selected = project.services.filter((s) => services.includes(s.name));
  const toBuild: string[] = [];
  const toCheck: string[] = [];
  const seen = new Set<string>();
  for (const service of selected) {
    const policy = policyOf(service, opts.policy);
    const present = await engine.inspectImage(service.image).then(() => true, () => false);
    if (hasBuild(service)) {
      if (opts.build === 'never') {
        if (!present) throw new UserError(`service "${service.name}" has neither an image nor a build context specified: image ${service.image} is missing and --no-build was given`);
      } else if (opts.build === 'always' || policy === 'build' || !present) toBuild.push(service.name);
      else toCheck.push(service.name);
      continue;
    }
    const builder = project.services.find((s) => hasBuild(s) && s.image === service.image);
    if (builder) {
      // another service builds this image: built here when missing, never pulled
      if (!present && opts.build === 'never') throw new UserError(`image ${service.image} of service "${service.name}" is missing; service "${builder.name}" builds it, and --no-build was given`);
      if (!present && !toBuild.includes(builder.name)) toBuild.push(builder.name);
      continue;
    }
    if (seen.has(service.image)) continue;
    seen.add(service.image);
    if (policy === 'never' || (present && policy !== 'always' && policy !== 'refresh')) {
      if (!present) throw new UserError(`image ${service.image} not found locally, and service "${service.name}" has pull_policy: never`);
      continue;
    }
    await pullOne(engine, service.image, progress, opts);
  }
  if (toBuild.length > 0) await buildServices(engine, project, toBuild, { ...opts.buildOptions, progress });
  // beyond Compose: an image we built whose Dockerfile or context changed since is rebuilt, and `up` says so
  if (toCheck.length > 0) await buildServices(engine, project, toCheck, { ...opts.buildOptions, progress, onlyIfChanged: true });
  for (const service of selected) {
    const image = await engine.inspectImage(service.image).catch(() => undefined);
    if (image && typeof image.Id === 'string') service.imageId = image.Id;
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
    // without --policy, a service that pulls only what is missing (the default) keeps a pinned tag already here;
    // `latest` (or no tag) is refreshed, as docker compose pull does. `always` and the refresh windows (`daily`,
    // `weekly`, `every_<duration>`) pull: asked explicitly, nothing waits for the window.
    const onlyMissing = declared === '' || declared === 'missing' || declared === 'if_not_present';
    const pinned = opts.policy === undefined && onlyMissing && !/:latest$/.test(service.image) && /:[\w][\w.-]*$/.test(service.image.split('/').pop() ?? '');
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
