/**
 * `docker save`: images as one tar with both Docker's legacy files (manifest.json, repositories) and an OCI
 * image layout (oci-layout, index.json, blobs/sha256/…), as Docker ≥ 25 writes it. Blobs go in unchanged,
 * so a load gives back the same image IDs and manifest digests.
 */
import type { Writable } from 'node:stream';
import { UserError } from '../../errors.js';
import { digestHex } from '../digest.js';
import type { ImageRecord, ImageStore } from '../image-store.js';
import { MEDIA_TYPES, type OciDescriptor } from '../oci-types.js';
import { familiarName, familiarString, parseReference, referenceString, type ImageReference } from '../reference.js';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, blobPath, OCI_LAYOUT, type ArchiveManifestEntry, type OciLayoutIndex } from './layout.js';
import { TarWriter } from './tar-writer.js';

interface SavedImage {
  image: ImageRecord;
  tags: ImageReference[]; // the names asked for that are tags (an ID names no tag)
}

/** The images to save, each once, with the tags by which they were named. */
export function selectImages(store: ImageStore, names: string[]): SavedImage[] {
  if (names.length === 0) throw new UserError('at least one image name is required');
  const byId = new Map<string, SavedImage>();
  for (const name of names) {
    const image = store.get(name);
    const saved = byId.get(image.id) ?? { image, tags: [] };
    byId.set(image.id, saved);
    const tag = tagNamed(name, image);
    if (tag && !saved.tags.some((t) => referenceString(t) === referenceString(tag))) saved.tags.push(tag);
  }
  return [...byId.values()];
}

/** The name as a tag reference, when the image carries it as a tag (not an ID, not a digest). */
function tagNamed(name: string, image: ImageRecord): ImageReference | undefined {
  try {
    const ref = parseReference(name);
    return ref.digest === undefined && image.repoTags.includes(familiarString(ref)) ? ref : undefined;
  } catch {
    return undefined; // an ID
  }
}

export async function saveImages(store: ImageStore, names: string[], out: Writable): Promise<void> {
  const images = selectImages(store, names);
  const tar = new TarWriter(out);
  await tar.directory('blobs');
  await tar.directory('blobs/sha256');
  const written = new Set<string>();
  for (const { image } of images) {
    for (const blob of blobsOf(store, image)) {
      if (written.has(blob.digest)) continue;
      written.add(blob.digest);
      await tar.stream(blobPath(blob.digest), blob.size, store.content.openRead(blob.digest));
    }
  }
  await tar.file('index.json', JSON.stringify(ociIndex(store, images)));
  await tar.file('manifest.json', JSON.stringify(images.map(legacyEntry)));
  await tar.file('oci-layout', JSON.stringify(OCI_LAYOUT));
  await tar.file('repositories', JSON.stringify(repositories(images)));
  await tar.finish();
}

function blobsOf(store: ImageStore, image: ImageRecord): Array<{ digest: string; size: number }> {
  const digests = [...image.layers.map((l) => l.digest), image.id, ...(image.manifestDigest ? [image.manifestDigest] : [])];
  return digests.map((digest) => ({ digest, size: store.content.size(digest) }));
}

function manifestDescriptor(store: ImageStore, image: ImageRecord): OciDescriptor {
  if (image.manifestDigest === undefined) throw new UserError(`image ${image.id} has no manifest`);
  const manifest = store.content.getJson<{ mediaType?: string }>(image.manifestDigest);
  return { mediaType: manifest.mediaType ?? MEDIA_TYPES.ociManifest, digest: image.manifestDigest, size: store.content.size(image.manifestDigest) };
}

/** One index entry per tag (annotated with the name, as Docker does), one bare entry for an image saved by ID. */
function ociIndex(store: ImageStore, images: SavedImage[]): OciLayoutIndex {
  const manifests = images.flatMap(({ image, tags }) => {
    const descriptor = manifestDescriptor(store, image);
    if (tags.length === 0) return [descriptor];
    return tags.map((tag) => ({ ...descriptor, annotations: { [ANNOTATION_IMAGE_NAME]: referenceString(tag), [ANNOTATION_REF_NAME]: tag.tag! } }));
  });
  return { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests };
}

function legacyEntry({ image, tags }: SavedImage): ArchiveManifestEntry {
  return {
    Config: blobPath(image.id),
    RepoTags: tags.length ? tags.map(familiarString) : null,
    Layers: image.layers.map((l) => blobPath(l.digest)),
  };
}

/** The legacy `repositories` file: familiar name → tag → top layer ID. */
function repositories(images: SavedImage[]): Record<string, Record<string, string>> {
  const repos: Record<string, Record<string, string>> = {};
  for (const { image, tags } of images) {
    const top = image.layers[image.layers.length - 1];
    if (!top) continue;
    for (const tag of tags) (repos[familiarName(tag)] ??= {})[tag.tag!] = digestHex(top.digest);
  }
  return repos;
}
