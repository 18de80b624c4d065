/** Puts an artifact into a registry: blobs first (config, layers), then the manifest under the tag. */
import { parseReference, type ImageReference } from '../../image/reference.js';
import type { AuthConfig } from '../../image/registry/credentials.js';
import { RegistryError } from '../../image/registry/errors.js';
import { RepositoryClient } from '../../image/registry/repository-client.js';
import { MEDIA_TYPES } from '../../image/oci-types.js';
import { UserError } from '../../errors.js';
import { artifactManifest } from './manifest.js';
import type { Layer } from './layers.js';
import type { OciVersion } from './media-types.js';

export interface PushArtifactOptions {
  /** Unset: OCI 1.1, or 1.0 when the registry refuses the 1.1 manifest (older registries). */
  ociVersion?: OciVersion;
  auth?: AuthConfig;
  env: NodeJS.ProcessEnv;
  composeVersion: string;
  now?: Date;
}

/** REPOSITORY[:TAG] as `publish` takes it: a tag (default latest), never a digest. */
export function publishTarget(repository: string): ImageReference {
  const ref = parseReference(repository);
  if (ref.digest !== undefined) throw new UserError(`invalid publish reference ${repository}: a digest cannot be published to, give a tag`);
  return ref;
}

/** Pushes and returns the manifest's digest. */
export async function pushArtifact(ref: ImageReference, layers: Layer[], opts: PushArtifactOptions): Promise<string> {
  const client = new RepositoryClient(ref, { actions: 'pull,push', env: opts.env, ...(opts.auth ? { auth: opts.auth } : {}) });
  for (const l of layers) await client.uploadBlob(() => l.bytes, l);
  if (opts.ociVersion) return putManifest(client, ref, layers, opts.ociVersion, opts);
  try {
    return await putManifest(client, ref, layers, '1.1', opts);
  } catch (e) {
    if (!refusedAsUnsupported(e)) throw e;
    return putManifest(client, ref, layers, '1.0', opts);
  }
}

async function putManifest(client: RepositoryClient, ref: ImageReference, layers: Layer[], version: OciVersion, opts: PushArtifactOptions): Promise<string> {
  const manifest = artifactManifest(layers, version, opts.now ?? new Date(), opts.composeVersion);
  await client.uploadBlob(() => manifest.config.bytes, manifest.config);
  return client.putManifest(ref.tag ?? 'latest', manifest.bytes, MEDIA_TYPES.ociManifest);
}

/** A 4xx other than an auth failure: most likely a registry that predates OCI 1.1 manifests. */
function refusedAsUnsupported(e: unknown): boolean {
  const status = e instanceof RegistryError ? e.httpStatus : undefined;
  return status !== undefined && status >= 400 && status < 500 && ![401, 403, 407].includes(status);
}
