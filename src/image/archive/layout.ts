/** The files of a `docker save` archive (Docker ≥ 25 writes both the legacy manifest.json and an OCI layout). */
import type { OciDescriptor } from '../oci-types.js';

/** One item of manifest.json (Docker's legacy save format). */
export interface ArchiveManifestEntry {
  Config: string; // path of the config JSON in the archive
  RepoTags: string[] | null;
  Layers: string[]; // paths of the layer tars, lowest first
}

export interface OciLayoutIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: OciDescriptor[];
}

export const OCI_LAYOUT = { imageLayoutVersion: '1.0.0' };

/** Annotations Docker and containerd put on index.json entries. */
export const ANNOTATION_IMAGE_NAME = 'io.containerd.image.name'; // "docker.io/library/busybox:latest"
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name'; // "latest"

/** "blobs/sha256/<hex>" */
export function blobPath(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}
