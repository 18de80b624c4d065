import { isDict, isOverride, isReset, OVERRIDE_TAG, type Dict, type ModelPath } from '../types.js';
import * as forms from './forms.js';
import { canonicalExtraHosts, toEnvironmentMapping, toStringMapping } from './mappings.js';
import { patternTable } from './path-pattern.js';
import { canonicalPorts } from './ports.js';
import { canonicalServiceVolume } from './volumes.js';

type Transform = (value: unknown, path: ModelPath) => unknown;

/**
 * Short syntax → long syntax, per attribute. A transform sees the value as written (or already long, since
 * canonicalize must be idempotent) and the walk then continues into the result's children.
 */
const TRANSFORMS = patternTable<Transform>({
  'services.*.annotations': toStringMapping,
  'services.*.build': forms.build,
  'services.*.build.additional_contexts': toStringMapping,
  'services.*.build.args': toEnvironmentMapping,
  'services.*.build.extra_hosts': canonicalExtraHosts,
  'services.*.build.labels': toStringMapping,
  'services.*.build.secrets.*': forms.fileMount,
  'services.*.build.ssh': forms.buildSsh,
  'services.*.configs.*': forms.fileMount,
  'services.*.depends_on': forms.dependsOn,
  'services.*.deploy.labels': toStringMapping,
  'services.*.develop.watch': forms.watchRules,
  'services.*.devices.*': forms.device,
  'services.*.dns': forms.stringToList,
  'services.*.dns_opt': forms.stringToList,
  'services.*.dns_search': forms.stringToList,
  'services.*.env_file': forms.envFiles,
  'services.*.environment': toEnvironmentMapping,
  'services.*.expose': forms.exposeAsText,
  'services.*.extends': forms.extendsRef,
  'services.*.extra_hosts': canonicalExtraHosts,
  'services.*.gpus': forms.gpus,
  'services.*.label_file': forms.stringToList,
  'services.*.labels': toStringMapping,
  'services.*.models': forms.serviceModels,
  'services.*.networks': forms.serviceNetworks,
  'services.*.ports': canonicalPorts,
  'services.*.secrets.*': forms.fileMount,
  'services.*.sysctls': toStringMapping,
  'services.*.tmpfs': forms.stringToList,
  'services.*.volumes.*': canonicalServiceVolume,
  'services.*.volumes.*.volume.labels': toStringMapping,
  'networks.*': forms.maybeExternal,
  'networks.*.driver_opts': toStringMapping,
  'networks.*.labels': toStringMapping,
  'volumes.*': forms.maybeExternal,
  'volumes.*.driver_opts': toStringMapping,
  'volumes.*.labels': toStringMapping,
  'secrets.*': forms.maybeExternal,
  'secrets.*.labels': toStringMapping,
  'configs.*': forms.maybeExternal,
  'configs.*.labels': toStringMapping,
  'include.*': forms.includeEntry,
});

/**
 * Converts every short syntax of a compose model to Compose's long form (pure: the input is not changed).
 * `!reset` markers stay as they are and `!override` markers keep their place around a canonical value: merge
 * consumes both. Unknown keys, `x-*` included, pass through.
 */
export function canonicalize(data: Dict): Dict {
  return walk(data, []) as Dict;
}

function walk(value: unknown, path: ModelPath): unknown {
  if (isReset(value)) return value;
  if (isOverride(value)) return { [OVERRIDE_TAG]: true, value: walk(value.value, path) };
  const transform = TRANSFORMS.lookup(path);
  const shaped = transform ? transform(value, path) : value;
  return walkChildren(shaped, path);
}

function walkChildren(value: unknown, path: ModelPath): unknown {
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
  if (!isDict(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, walk(child, [...path, key])]));
}
