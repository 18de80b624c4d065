/** Small OCI images made in memory for registry and archive tests: tar layers, configs, manifests, pushes. */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { RepositoryClient } from '../../src/image/registry/repository-client.js';
import { MEDIA_TYPES } from '../../src/image/oci-types.js';

export const sha256 = (data: Buffer | string): string => 'sha256:' + createHash('sha256').update(data).digest('hex');

/** A tar archive of regular files (path → content). */
export function tarOf(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const header = Buffer.alloc(512);
    new Header({ path, type: 'File', mode: 0o644, size: body.length, mtime: new Date('2024-01-01T00:00:00Z'), uid: 0, gid: 0 }).encode(header, 0);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export interface FixtureImage {
  config: Buffer;
  layers: Buffer[]; // the layer blobs as pushed (gzip)
  manifest: Buffer;
  manifestDigest: string;
  id: string; // config digest
}

/** An image of one or more layers (each a tar of files), gzip-compressed, with an OCI manifest. */
export function fixtureImage(layerFiles: Array<Record<string, string | Buffer>>, platform: { os?: string; architecture?: string; variant?: string } = {}): FixtureImage {
  const tars = layerFiles.map(tarOf);
  const layers = tars.map((t) => gzipSync(t, { level: 1 }));
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture ?? 'amd64',
      os: platform.os ?? 'linux',
      ...(platform.variant ? { variant: platform.variant } : {}),
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: tars.map((t) => sha256(t)) },
      history: tars.map(() => ({ created: '2024-01-01T00:00:00Z', created_by: 'test fixture' })),
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: MEDIA_TYPES.ociConfig, digest: sha256(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: MEDIA_TYPES.ociLayerGzip, digest: sha256(l), size: l.length })),
    }),
  );
  return { config, layers, manifest, manifestDigest: sha256(manifest), id: sha256(config) };
}

/** Pushes the image's blobs and its manifest (under `reference`: a tag, or its digest). */
export async function pushFixture(client: RepositoryClient, image: FixtureImage, reference = image.manifestDigest): Promise<void> {
  for (const blob of [...image.layers, image.config]) await client.uploadBlob(() => blob, { digest: sha256(blob), size: blob.length });
  await client.putManifest(reference, image.manifest, MEDIA_TYPES.ociManifest);
}

/** An OCI index over platform images already pushed. */
export function fixtureIndex(entries: Array<{ image: FixtureImage; os: string; architecture: string; variant?: string }>): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: entries.map(({ image, os, architecture, variant }) => ({
        mediaType: MEDIA_TYPES.ociManifest,
        digest: image.manifestDigest,
        size: image.manifest.length,
        platform: { os, architecture, ...(variant ? { variant } : {}) },
      })),
    }),
  );
}
