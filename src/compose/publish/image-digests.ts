/** `--resolve-image-digests`: an extra layer pinning each service's image to the digest its registry serves now. */
import { stringify } from 'yaml';
import { parseReference, referenceString } from '../../image/reference.js';
import type { AuthConfig } from '../../image/registry/credentials.js';
import { RepositoryClient } from '../../image/registry/repository-client.js';
import { isDict, type Dict } from '../types.js';
import { compareText } from '../../util/compare-text.js';

export interface DigestLookup {
  env: NodeJS.ProcessEnv;
  credentials: (domain: string) => AuthConfig | undefined;
}

export async function imageDigestsYaml(allServices: Dict, lookup: DigestLookup): Promise<string> {
  const services: Record<string, { image: string }> = {};
  for (const [name, service] of Object.entries(allServices).sort(([a], [b]) => compareText(a, b))) {
    const image = isDict(service) && typeof service.image === 'string' ? service.image : undefined;
    if (image) services[name] = { image: await pinned(image, lookup) };
  }
  return stringify({ services });
}

async function pinned(image: string, lookup: DigestLookup): Promise<string> {
  const ref = parseReference(image);
  if (ref.digest) return image;
  const auth = lookup.credentials(ref.domain);
  const client = new RepositoryClient(ref, { env: lookup.env, ...(auth ? { auth } : {}) });
  const digest = (await client.headManifest(ref.tag ?? 'latest')) ?? (await client.getManifest(ref.tag ?? 'latest')).digest;
  return referenceString({ ...ref, digest });
}
