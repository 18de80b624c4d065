/**
 * `docker push`: every layer blob and the config (skipped when the registry has them, mounted when they came
 * from another repository of the same registry, else uploaded), then the manifest under the tag.
 */
import { UserError } from '../../errors.js';
import type { ImageRecord, ImageStore } from '../image-store.js';
import { MEDIA_TYPES, type OciDescriptor, type OciManifest } from '../oci-types.js';
import { familiarName, parseReference, repositoryName, type ImageReference } from '../reference.js';
import type { AuthConfig } from './credentials.js';
import { concurrencyLimit } from './limit.js';
import { ByteProgress, shortDigest, type ProgressSink } from './progress.js';
import { RepositoryClient, type UploadOutcome } from './repository-client.js';

export interface PushOptions {
  auth?: AuthConfig;
  env?: NodeJS.ProcessEnv;
  onProgress?: ProgressSink;
  concurrency?: number;
  /** Blobs above this size are sent in PATCH chunks of it (default 32 MiB). */
  chunkSize?: number;
}

export interface PushResult {
  tag: string;
  digest: string;
  size: number;
}

export async function pushImage(store: ImageStore, reference: string, opts: PushOptions = {}): Promise<PushResult> {
  const ref = parseReference(reference);
  if (ref.digest !== undefined) throw new UserError('cannot push a digest reference');
  const image = store.resolve(reference);
  if (!image) throw new UserError(`An image does not exist locally with the tag: ${familiarName(ref)}`);
  const sink = opts.onProgress ?? (() => {});
  sink({ status: `The push refers to repository [${repositoryName(ref)}]` });
  const { bytes, manifest } = manifestOf(store, image);
  const sources = mountSources(image, ref);
  const client = new RepositoryClient(ref, { auth: opts.auth, env: opts.env, actions: 'pull,push', mountSources: sources });
  const upload = (blob: OciDescriptor, onBytes?: (n: number) => void) =>
    client.uploadBlob(() => store.content.openRead(blob.digest), blob, { mountFrom: sources[0], chunkSize: opts.chunkSize, onBytes });
  const limit = concurrencyLimit(opts.concurrency ?? 3);
  for (const layer of manifest.layers) sink({ status: 'Preparing', id: shortDigest(layer.digest) });
  await Promise.all(manifest.layers.map((layer) => limit(() => pushLayer(layer, upload, sink, sources[0]))));
  await upload(manifest.config);
  const tag = ref.tag ?? 'latest';
  const digest = await client.putManifest(tag, bytes, manifest.mediaType ?? MEDIA_TYPES.ociManifest);
  store.addRepoDigest(repositoryName(ref), digest, image.id);
  sink({ status: `${tag}: digest: ${digest} size: ${bytes.length}` });
  sink({ aux: { Tag: tag, Digest: digest, Size: bytes.length } });
  return { tag, digest, size: bytes.length };
}

async function pushLayer(layer: OciDescriptor, upload: (b: OciDescriptor, onBytes?: (n: number) => void) => Promise<UploadOutcome>, sink: ProgressSink, mountFrom: string | undefined): Promise<void> {
  const id = shortDigest(layer.digest);
  const progress = new ByteProgress(sink, id, 'Pushing', layer.size);
  const outcome = await upload(layer, (n) => progress.update(n));
  const status = { exists: 'Layer already exists', mounted: `Mounted from ${mountFrom}`, pushed: 'Pushed' }[outcome];
  sink({ status, id });
}

/** The stored manifest, whose bytes (and so digest) a pull gave us; import and load write one too. */
function manifestOf(store: ImageStore, image: ImageRecord): { bytes: Buffer; manifest: OciManifest } {
  if (image.manifestDigest === undefined) throw new UserError(`image ${image.id} has no manifest to push`);
  const bytes = store.content.get(image.manifestDigest);
  return { bytes, manifest: JSON.parse(bytes.toString('utf8')) as OciManifest };
}

/** Other repositories of the same registry the image was pulled from or pushed to (blob mount sources). */
function mountSources(image: ImageRecord, target: ImageReference): string[] {
  const paths = image.repoDigests
    .map((name) => parseReference(name))
    .filter((r) => r.domain === target.domain && r.path !== target.path)
    .map((r) => r.path);
  return [...new Set(paths)];
}
