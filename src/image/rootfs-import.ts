/**
 * The pieces of `image import` that are not bookkeeping: storing a rootfs tarball as a layer blob
 * (gzip-compressed, as a registry would hold it) while hashing its uncompressed form for the diff_id,
 * and writing the image config and manifest that describe it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors.js';
import { applyChanges } from './changes.js';
import { decompressor, detectFileCompression, isDecompressionError } from './compression.js';
import type { ContentStore } from './content-store.js';
import { hostArchitecture, MEDIA_TYPES, type OciDescriptor, type OciImageConfig, type OciManifest } from './oci-types.js';

export interface StoredLayer {
  layer: OciDescriptor;
  diffId: string;
}

function checkReadable(tarPath: string): void {
  try {
    if (!statSync(tarPath).isFile()) throw new UserError(`${tarPath}: not a regular file`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`open ${tarPath}: ${code === 'ENOENT' ? 'no such file or directory' : String(code)}`);
  }
}

/** Hashes a stream's bytes while passing them on. */
function hashing(hash: ReturnType<typeof createHash>) {
  return async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      hash.update(chunk);
      yield chunk;
    }
  };
}

/** Stores the tarball as a layer blob; a plain tar is gzip-compressed on the way in. */
export async function storeRootfsLayer(content: ContentStore, tarPath: string): Promise<StoredLayer> {
  checkReadable(tarPath);
  try {
    return await storeLayer(content, tarPath);
  } catch (e) {
    if (isDecompressionError(e)) throw new UserError(`invalid layer tarball ${tarPath}: ${(e as Error).message}`);
    throw e;
  }
}

async function storeLayer(content: ContentStore, tarPath: string): Promise<StoredLayer> {
  const compression = detectFileCompression(tarPath);
  const diffHash = createHash('sha256');
  if (compression === 'none') {
    const gzip = createGzip();
    const feeding = pipeline(createReadStream(tarPath), hashing(diffHash), gzip);
    const [blob] = await Promise.all([content.put(gzip), feeding]);
    return { layer: { mediaType: MEDIA_TYPES.ociLayerGzip, ...blob }, diffId: 'sha256:' + diffHash.digest('hex') };
  }
  await pipeline(createReadStream(tarPath), decompressor(compression)!, hashing(diffHash), async (chunks: AsyncIterable<Buffer>) => {
    for await (const _ of chunks) void _;
  });
  const blob = await content.put(createReadStream(tarPath)); // after the check that it decompresses
  const mediaType = compression === 'gzip' ? MEDIA_TYPES.ociLayerGzip : MEDIA_TYPES.ociLayerZstd;
  return { layer: { mediaType, ...blob }, diffId: 'sha256:' + diffHash.digest('hex') };
}

export interface ImportOptions {
  changes?: string[];
  message?: string;
  source?: string; // shown in the default history comment ("Imported from <source>")
  created?: Date;
}

/** The OCI config of an imported image: one layer, the --change instructions, a history entry. */
export function importConfig(diffId: string, options: ImportOptions): OciImageConfig {
  const created = (options.created ?? new Date()).toISOString();
  const comment = options.message || `Imported from ${options.source ?? '-'}`;
  return {
    created,
    architecture: hostArchitecture(),
    os: 'linux',
    config: applyChanges(options.changes ?? []),
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, comment }],
  };
}

export function manifestFor(config: OciDescriptor, layers: OciDescriptor[]): OciManifest {
  return { schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config, layers };
}
