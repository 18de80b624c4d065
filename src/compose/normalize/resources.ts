import { UserError } from '../../errors.js';
import { isDict, type Dict } from '../types.js';

/** Top-level sections whose entries become engine objects named `<project>_<key>` unless told otherwise. */
const NAMED_SECTIONS = ['networks', 'volumes', 'configs', 'secrets'] as const;

/**
 * Gives every network, volume, config and secret its engine name (compose-go setNameFromKey):
 * an explicit `name` wins, an external resource is named by its key, the rest get `<project>_<key>`.
 * The deprecated `external: {name}` form is moved to `name` first.
 */
export function nameResources(model: Dict, projectName: string, warn: (m: string) => void): void {
  for (const section of NAMED_SECTIONS) {
    const entries = model[section];
    if (!isDict(entries)) continue;
    for (const [key, raw] of Object.entries(entries)) {
      const resource: Dict = isDict(raw) ? { ...raw } : {};
      relocateExternalName(resource, section, key, warn);
      if (resource.name === undefined || resource.name === null || resource.name === '') {
        resource.name = resource.external === true ? key : `${projectName}_${key}`;
      }
      entries[key] = resource;
    }
  }
}

function relocateExternalName(resource: Dict, section: string, key: string, warn: (m: string) => void): void {
  const external = resource.external;
  if (!isDict(external)) return;
  const legacyName = external.name;
  if (typeof legacyName === 'string' && legacyName !== '') {
    if (typeof resource.name === 'string' && resource.name !== '' && resource.name !== legacyName) {
      throw new UserError(`${section}.${key}: can't use both '${section}.external.name' (deprecated) and '${section}.name'`);
    }
    warn(`${section}.${key}: external.name is deprecated. Please set name and external: true`);
    resource.name = legacyName;
  }
  resource.external = true;
}
