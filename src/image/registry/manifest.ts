/** Manifests and indexes as a registry serves them (OCI and Docker schema 2), told apart and checked. */
import { sha256Digest } from '../digest.js';
import { MEDIA_TYPES, type OciDescriptor, type OciManifest } from '../oci-types.js';
import { RegistryError } from './errors.js';

/** Everything we can read, best first (Docker sends the same list). */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifestList, MEDIA_TYPES.dockerManifest].join(', ');

const INDEX_TYPES: string[] = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList];
const MANIFEST_TYPES: string[] = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest];
const SCHEMA1_TYPES = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];

export interface OciIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: OciDescriptor[];
  annotations?: Record<string, string>;
}

/** The raw bytes (their digest names the manifest), the media type, and the parsed document. */
export type FetchedManifest =
  | { kind: 'index'; bytes: Buffer; digest: string; mediaType: string; index: OciIndex }
  | { kind: 'manifest'; bytes: Buffer; digest: string; mediaType: string; manifest: OciManifest };

/** Parses manifest bytes; the media type comes from the document, else from the Content-Type header. */
export function parseManifest(bytes: Buffer, contentType: string | undefined): FetchedManifest {
  let doc: { mediaType?: string; manifests?: unknown; layers?: unknown; config?: unknown; schemaVersion?: number };
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryError('invalid manifest: not JSON');
  }
  const mediaType = doc.mediaType ?? contentType?.split(';')[0]!.trim() ?? '';
  const digest = sha256Digest(bytes);
  if (doc.schemaVersion === 1 || SCHEMA1_TYPES.includes(mediaType)) {
    throw new RegistryError('Docker Image manifest version 2, schema 1 is not supported (the image needs to be re-pushed with a newer tool)');
  }
  if (INDEX_TYPES.includes(mediaType) || (Array.isArray(doc.manifests) && !doc.layers)) {
    return { kind: 'index', bytes, digest, mediaType: mediaType || MEDIA_TYPES.ociIndex, index: doc as OciIndex };
  }
  if (MANIFEST_TYPES.includes(mediaType) || (Array.isArray(doc.layers) && doc.config)) {
    return { kind: 'manifest', bytes, digest, mediaType: mediaType || MEDIA_TYPES.ociManifest, manifest: doc as OciManifest };
  }
  throw new RegistryError(`unsupported manifest media type ${JSON.stringify(mediaType)}`);
}

/** Layer media types we can unpack (gzip, zstd, plain tar); anything else (foreign layers) fails before a download. */
export function layerCompression(mediaType: string): 'gzip' | 'none' | 'zstd' | undefined {
  if (/\+gzip$|\.tar\.gzip$|tar\.gzip$/.test(mediaType) || mediaType === MEDIA_TYPES.dockerLayerGzip) return 'gzip';
  if (/\+zstd$/.test(mediaType)) return 'zstd';
  if (/\.tar$/.test(mediaType) || mediaType === 'application/vnd.docker.image.rootfs.diff.tar') return 'none';
  return undefined;
}
