import { UserError } from '../../errors.js';
import { isDict, type Dict } from '../types.js';

/** One per-service rule; each fills a default or reconciles two attributes, as compose-go's Normalize does. */
type ServiceRule = (service: Dict, name: string) => void;

/** Applied in order to every service. */
export const SERVICE_RULES: readonly ServiceRule[] = [pullPolicyAlias, buildDefaults, scaleMatchesReplicas, preStartImage];

/** `if_not_present` is the old spelling of `missing`. */
function pullPolicyAlias(service: Dict): void {
  if (service.pull_policy === 'if_not_present') service.pull_policy = 'missing';
}

/** A build without context builds the project folder; without a Dockerfile (inline or not), `Dockerfile`. */
function buildDefaults(service: Dict): void {
  if (!isDict(service.build)) return;
  const build = service.build;
  if (build.context === undefined || build.context === null) build.context = '.';
  if (isBlank(build.dockerfile) && isBlank(build.dockerfile_inline)) build.dockerfile = 'Dockerfile';
}

/** `scale` and `deploy.replicas` say the same thing: they must agree, and replicas follows scale. */
function scaleMatchesReplicas(service: Dict, name: string): void {
  const scale = service.scale;
  if (typeof scale !== 'number' || !isDict(service.deploy)) return;
  const replicas = service.deploy.replicas;
  if (typeof replicas === 'number' && replicas !== scale) {
    throw new UserError(`services.${name}: can't set distinct values on 'scale' and 'deploy.replicas'`);
  }
  service.deploy.replicas = scale;
}

/** A pre_start hook without an image runs the service's image (a build-only service leaves it unset). */
function preStartImage(service: Dict): void {
  if (!Array.isArray(service.pre_start) || typeof service.image !== 'string') return;
  const image = service.image;
  service.pre_start = service.pre_start.map((hook: unknown) => (isDict(hook) && hook.image === undefined ? { ...hook, image } : hook));
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}
