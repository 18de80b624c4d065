/**
 * `docker pull`: resolve the tag (index → the platform's manifest), fetch the config, download missing
 * layers (6 at a time, each verified by digest and size before it lands) and unpack each one while it downloads
 * (on worker threads; each snapshot appears after the one below it), then record the image and its names. A
 * failed pull leaves none of its blobs behind.
 */
import { UserError } from '../../errors.js';
import { sha256Digest } from '../digest.js';
import type { ImageRecord, ImageStore } from '../image-store.js';
import { ingestLayer } from '../layer-ingest.js';
import type { OciDescriptor, OciImageConfig } from '../oci-types.js';
import { chainIdOf, type Unpacked } from '../snapshots.js';
import { familiarString, parseReference, referenceString, repositoryName } from '../reference.js';
import type { AuthConfig } from './credentials.js';
import { discardUnreferenced } from './discard.js';
import { blobRefused, RegistryError } from './errors.js';
import { concurrencyLimit } from './limit.js';
import { layerCompression, parseManifest, type FetchedManifest } from './manifest.js';
import { defaultPlatform, selectManifest, type Platform } from './platform.js';
import { ByteProgress, shortDigest, type ProgressSink } from './progress.js';
import { RepositoryClient } from './repository-client.js';
import { withRetries } from './retry.js';

export interface PullOptions {
  platform?: Platform;
  auth?: AuthConfig;
  env?: NodeJS.ProcessEnv;
  onProgress?: ProgressSink;
  /** Layers downloaded at once (default 6, as skopeo and podman: their layers unpack as they come, so more at once is faster). */
  concurrency?: number;
}

export interface PullResult {
  image: ImageRecord;
  /** The digest of what the tag named (an index's digest for a multi-platform image). */
  digest: string;
  /** Familiar form for messages: "busybox:latest". */
  reference: string;
  upToDate: boolean;
}

type ImageManifest = Extract<FetchedManifest, { kind: 'manifest' }>;

export async function pullImage(store: ImageStore, reference: string, opts: PullOptions = {}): Promise<PullResult> {
  const ref = parseReference(reference);
  const sink = opts.onProgress ?? (() => {});
  const client = new RepositoryClient(ref, { auth: opts.auth, env: opts.env });
  const wanted = ref.digest ?? ref.tag!;
  sink({ status: `Pulling from ${ref.path}`, id: wanted });
  const top = await fetchTop(client, store, wanted);
  const manifest = top.kind === 'index' ? await client.getManifest(selectManifest(top.index.manifests, opts.platform ?? defaultPlatform()).digest) : top;
  if (manifest.kind !== 'manifest') throw new RegistryError(`${manifest.digest}: an index inside an index is not supported`);
  const named = ref.tag !== undefined ? referenceString({ domain: ref.domain, path: ref.path, tag: ref.tag }) : undefined;
  const before = named === undefined ? undefined : store.resolve(named)?.id;
  const image = store.resolve(manifest.manifest.config.digest) ?? (await fetchImage(store, client, manifest, sink, opts.concurrency ?? 6));
  if (named !== undefined) store.tag(image.id, named);
  store.addRepoDigest(repositoryName(ref), top.digest, image.id);
  const upToDate = before === image.id;
  sink({ status: `Digest: ${top.digest}` });
  const shown = familiarString(ref);
  sink({ status: upToDate ? `Status: Image is up to date for ${shown}` : `Status: Downloaded newer image for ${shown}` });
  return { image: store.get(image.id), digest: top.digest, reference: shown, upToDate };
}

/** The manifest or index the tag names; a tag whose digest we already hold is not fetched again. */
async function fetchTop(client: RepositoryClient, store: ImageStore, wanted: string): Promise<FetchedManifest> {
  const digest = wanted.startsWith('sha256:') ? wanted : await client.headManifest(wanted).catch(() => undefined);
  if (digest !== undefined && store.content.has(digest)) {
    const bytes = store.content.get(digest);
    if (sha256Digest(bytes) === digest) return parseManifest(bytes, undefined);
  }
  return client.getManifest(wanted);
}

/** Downloads what is missing and records the image; on failure removes the blobs and snapshots it added. */
async function fetchImage(store: ImageStore, client: RepositoryClient, manifest: ImageManifest, sink: ProgressSink, concurrency: number): Promise<ImageRecord> {
  const { config: configDescriptor, layers } = manifest.manifest;
  checkLayerTypes(layers);
  const config = await client.fetchBlob(configDescriptor.digest, configDescriptor.size);
  const diffIds = parseConfig(config, configDescriptor.digest).rootfs.diff_ids;
  if (diffIds.length !== layers.length) throw new RegistryError(`image config lists ${diffIds.length} layers, the manifest ${layers.length}`);
  const added: string[] = [];
  const snapshots: string[] = [];
  try {
    await transferLayers(store, client, layers, diffIds, sink, concurrency, added, snapshots);
    return await store.addImage({ config, layers, manifest: manifest.bytes });
  } catch (e) {
    discardUnreferenced(store, added, snapshots);
    throw e;
  }
}

function parseConfig(bytes: Buffer, digest: string): OciImageConfig {
  try {
    const config = JSON.parse(bytes.toString('utf8')) as OciImageConfig;
    if (!Array.isArray(config.rootfs?.diff_ids)) throw new Error('no rootfs.diff_ids');
    return config;
  } catch (e) {
    throw new RegistryError(`invalid image config ${digest}: ${(e as Error).message}`);
  }
}

/** Refuses layers we could not unpack before downloading anything (foreign types). */
function checkLayerTypes(layers: OciDescriptor[]): void {
  for (const layer of layers) {
    if (layerCompression(layer.mediaType) === undefined) throw new UserError(`unsupported layer media type ${layer.mediaType} (layer ${layer.digest})`);
  }
}

/**
 * Downloads layers in parallel and unpacks each one as soon as it is there (the snapshot store renames them into
 * place bottom-up). Waits for every started transfer and unpack before returning or throwing, so that cleanup
 * cannot race them.
 */
async function transferLayers(
  store: ImageStore, client: RepositoryClient, layers: OciDescriptor[], diffIds: string[], sink: ProgressSink,
  concurrency: number, added: string[], snapshots: string[],
): Promise<void> {
  const limit = concurrencyLimit(concurrency);
  let failed = false;
  for (const layer of layers) sink({ status: store.content.has(layer.digest) ? 'Already exists' : 'Pulling fs layer', id: shortDigest(layer.digest) });
  const chainIds: string[] = [];
  for (const diffId of diffIds) chainIds.push(chainIdOf(chainIds.at(-1), diffId));
  const downloads = layers.map((layer, i): Promise<Unpacked | undefined> => {
    if (store.content.has(layer.digest)) return Promise.resolve(undefined);
    sink({ status: 'Waiting', id: shortDigest(layer.digest) });
    return limit(async () => {
      if (failed) throw new SkippedDownload(); // queued downloads are not started after a failure
      try {
        // Unpacked while it downloads, unless that snapshot is there already (another image has the layer).
        const unpacked = await downloadLayer(store, client, layer, sink, !store.snapshots.has(chainIds[i]!));
        added.push(layer.digest);
        return unpacked;
      } catch (e) {
        failed = true;
        throw e;
      }
    });
  });
  const unpacks = store.snapshots.ensureChain(
    layers.map((layer, i) => ({ diffId: diffIds[i]!, blobPath: store.content.path(layer.digest), ready: downloads[i]! })),
    {
      onUnpack: (i) => sink({ status: 'Extracting', id: shortDigest(layers[i]!.digest) }),
      onDone: (i, info, created) => {
        if (!created) return;
        snapshots.push(info.chainId);
        sink({ status: 'Pull complete', id: shortDigest(layers[i]!.digest) });
      },
    },
  );
  const results = await Promise.allSettled([...downloads, unpacks]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof SkippedDownload));
  if (failure) throw failure.reason;
}

/** A queued download not started because another failed (that one's error is the pull's). */
class SkippedDownload extends Error {}

/** One layer into the content store (and unpacked on the way when `unpack`), retried on network errors. */
async function downloadLayer(store: ImageStore, client: RepositoryClient, layer: OciDescriptor, sink: ProgressSink, unpack: boolean): Promise<Unpacked | undefined> {
  const id = shortDigest(layer.digest);
  const unpacked = await withRetries(async () => {
    const res = await client.openBlob(layer.digest);
    const progress = new ByteProgress(sink, id, 'Downloading', layer.size);
    let received = 0;
    const counted = async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        received += chunk.length;
        if (received > layer.size) throw blobRefused(layer.digest, `registry sent more than the ${layer.size} bytes the manifest gives`);
        progress.update(received);
        yield chunk;
      }
    };
    try {
      return await ingestLayer(store, counted(res), { digest: layer.digest, size: layer.size }, { unpack });
    } catch (e) {
      res.destroy();
      throw asRefusal(e, layer.digest);
    }
  });
  sink({ status: 'Verifying Checksum', id });
  sink({ status: 'Download complete', id });
  return unpacked;
}

/** The content store's digest/size mismatch, reworded to name the blob. */
function asRefusal(e: unknown, digest: string): unknown {
  if (e instanceof UserError && /^(digest|size) mismatch/.test(e.message)) return blobRefused(digest, e.message);
  return e;
}
