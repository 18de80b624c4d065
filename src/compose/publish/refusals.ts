/** What makes a project unpublishable outright (exit 1, no prompt): the wording is docker compose's. */
import { UserError } from '../../errors.js';
import { isDict, type Dict } from '../types.js';
import { isRemoteResource, type SourceFile } from './source-files.js';

export function checkPublishable(files: SourceFile[], allServices: Dict): void {
  if (files.some(hasLocalInclude)) throw new UserError('cannot publish compose file with local includes');
  const buildOnly = Object.entries(allServices)
    .filter(([, s]) => isDict(s) && s.build !== undefined && (s.image === undefined || s.image === ''))
    .map(([name]) => name)
    .sort();
  if (buildOnly.length > 0) {
    // A consumer of the artifact has no build context: it could never start these services.
    const list = buildOnly.map((name) => `- ${JSON.stringify(name)}`).join('\n');
    throw new UserError(`your Compose stack cannot be published as it only contains a build section for service(s):\n${list}`);
  }
}

/** An include the artifact cannot carry: a path on this machine (remote ones are fetched by the consumer). */
function hasLocalInclude(file: SourceFile): boolean {
  if (file.extendsName !== undefined) return false;
  const entries = Array.isArray(file.data.include) ? file.data.include : [];
  return entries.some((entry) => includePaths(entry).some((p) => !isRemoteResource(p)));
}

function includePaths(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (!isDict(entry)) return [];
  const paths = Array.isArray(entry.path) ? entry.path : [entry.path];
  return paths.filter((p): p is string => typeof p === 'string');
}
