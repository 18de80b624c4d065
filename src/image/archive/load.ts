/**
 * `docker load`: a tar (plain or gzip) in Docker's save format (manifest.json, old or new layout) or an OCI
 * image layout (index.json). Files under blobs/sha256/ stream straight into the content store, verified
 * against their names; other files are small JSON kept in memory or legacy layer tars stored as they come.
 * Blobs the load added but no image uses are removed at the end (and everything on failure).
 */
import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { posix } from 'node:path';
import { UserError } from '../../errors.js';
import { detectFileCompression } from '../compression.js';
import type { BlobInfo } from '../content-store.js';
import { sha256Digest } from '../digest.js';
import type { ImageRecord, ImageStore } from '../image-store.js';
import { MEDIA_TYPES, type OciDescriptor, type OciManifest } from '../oci-types.js';
import { familiarString, parseReference, referenceString } from '../reference.js';
import { discardUnreferenced } from '../registry/discard.js';
import { defaultPlatform, selectManifest } from '../registry/platform.js';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, type ArchiveManifestEntry, type OciLayoutIndex } from './layout.js';

const SMALL_FILE_LIMIT = 4 * 1024 * 1024;
const BLOB_PATH = /^blobs\/sha256\/([a-f0-9]{64})$/;

export interface LoadedImage {
  image: ImageRecord;
  tags: string[]; // familiar
}

/** What the archive held once read: small files in memory, the rest in the content store. */
interface ArchiveFiles {
  small: Map<string, Buffer>;
  stored: Map<string, BlobInfo>;
  links: Map<string, string>;
  added: Set<string>; // digests this load created
}

export async function loadArchive(store: ImageStore, input: Readable): Promise<LoadedImage[]> {
  const files: ArchiveFiles = { small: new Map(), stored: new Map(), links: new Map(), added: new Set() };
  try {
    await readArchive(store, input, files);
    return await loadImages(store, files);
  } finally {
    discardUnreferenced(store, files.added);
  }
}

async function readArchive(store: ImageStore, input: Readable, files: ArchiveFiles): Promise<void> {
  const failures: unknown[] = [];
  const pending: Promise<void>[] = [];
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    const path = posix.normalize(entry.path).replace(/^(\.\/|\/)+/, '');
    if ((entry.type === 'SymbolicLink' || entry.type === 'Link') && entry.linkpath) {
      files.links.set(path, entry.type === 'Link' ? posix.normalize(entry.linkpath) : posix.join(posix.dirname(path), entry.linkpath));
    }
    if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') return void entry.resume();
    pending.push(
      storeEntry(store, path, entry, files).catch((e: unknown) => {
        failures.push(e);
        entry.resume();
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => reject(new UserError(`invalid archive: ${e.message}`));
    parser.on('error', fail);
    input.on('error', reject);
    parser.on('end', () => resolve());
    input.pipe(parser as unknown as NodeJS.WritableStream);
  });
  await Promise.all(pending);
  if (failures.length > 0) throw failures[0];
}

async function storeEntry(store: ImageStore, path: string, entry: ReadEntry, files: ArchiveFiles): Promise<void> {
  const blob = BLOB_PATH.exec(path);
  if (!blob && entry.size <= SMALL_FILE_LIMIT) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    files.small.set(path, Buffer.concat(chunks));
    return;
  }
  const expected = blob ? { digest: `sha256:${blob[1]}`, size: entry.size } : { size: entry.size };
  if (expected.digest !== undefined && !store.content.has(expected.digest)) files.added.add(expected.digest);
  let info: BlobInfo;
  try {
    info = await store.content.put(entry as unknown as AsyncIterable<Buffer>, expected);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`invalid archive: ${path}: ${e.message}`);
    throw e;
  }
  if (!blob) files.added.add(info.digest); // a legacy layer.tar: discarded at the end unless an image uses it
  files.stored.set(path, info);
}

/** manifest.json when there is one (Docker's own loader prefers it), else the OCI index. */
async function loadImages(store: ImageStore, files: ArchiveFiles): Promise<LoadedImage[]> {
  const legacy = files.small.get('manifest.json');
  const index = files.small.get('index.json');
  const ociIndex = index ? (parseJson(index, 'index.json') as OciLayoutIndex) : undefined;
  if (legacy) {
    const entries = parseJson(legacy, 'manifest.json') as ArchiveManifestEntry[];
    const loaded: LoadedImage[] = [];
    for (const entry of entries) loaded.push(await loadLegacyEntry(store, files, entry, ociIndex));
    return loaded;
  }
  if (ociIndex) return loadOciLayout(store, ociIndex);
  throw new UserError('invalid archive: no manifest.json or index.json found');
}

async function loadLegacyEntry(store: ImageStore, files: ArchiveFiles, entry: ArchiveManifestEntry, index: OciLayoutIndex | undefined): Promise<LoadedImage> {
  const config = bytesOf(store, files, entry.Config);
  const blobs: BlobInfo[] = [];
  for (const path of entry.Layers) blobs.push(await blobOf(store, files, path));
  const manifest = matchingManifest(store, index, sha256Digest(config), blobs);
  const layers = manifest?.layers ?? blobs.map((b) => ({ mediaType: layerMediaType(store, b.digest), ...b }));
  const image = await store.addImage({ config, layers, ...(manifest ? { manifest: manifest.bytes } : {}) });
  const tags = (entry.RepoTags ?? []).map((t) => familiarString(parseReference(t)));
  for (const tag of tags) store.tag(image.id, tag);
  return { image: store.get(image.id), tags };
}

/** The archive's OCI manifest for this config and these layers, so the manifest digest survives save + load. */
function matchingManifest(store: ImageStore, index: OciLayoutIndex | undefined, configDigest: string, blobs: BlobInfo[]): { bytes: Buffer; layers: OciDescriptor[] } | undefined {
  for (const descriptor of index?.manifests ?? []) {
    if (!store.content.has(descriptor.digest)) continue;
    const bytes = store.content.get(descriptor.digest);
    const manifest = tryParse(bytes) as OciManifest | undefined;
    if (!manifest?.config || manifest.config.digest !== configDigest || !Array.isArray(manifest.layers)) continue;
    if (manifest.layers.length === blobs.length && manifest.layers.every((l, i) => l.digest === blobs[i]!.digest)) return { bytes, layers: manifest.layers };
  }
  return undefined;
}

async function loadOciLayout(store: ImageStore, index: OciLayoutIndex): Promise<LoadedImage[]> {
  const loaded: LoadedImage[] = [];
  for (const descriptor of index.manifests ?? []) {
    const bytes = requiredBlob(store, descriptor.digest);
    let doc = parseJson(bytes, descriptor.digest) as OciManifest & OciLayoutIndex;
    let manifestBytes = bytes;
    if (Array.isArray(doc.manifests)) {
      const chosen = selectManifest(doc.manifests, defaultPlatform());
      manifestBytes = requiredBlob(store, chosen.digest);
      doc = parseJson(manifestBytes, chosen.digest) as OciManifest & OciLayoutIndex;
    }
    for (const layer of doc.layers) requiredBlob(store, layer.digest, false);
    const image = await store.addImage({ config: requiredBlob(store, doc.config.digest), layers: doc.layers, manifest: manifestBytes });
    const name = imageName(descriptor.annotations ?? {});
    if (name) store.tag(image.id, name);
    loaded.push({ image: store.get(image.id), tags: name ? [familiarString(parseReference(name))] : [] });
  }
  return loaded;
}

/** The name an index entry carries: containerd's full name, or a ref.name that is a full reference. */
function imageName(annotations: Record<string, string>): string | undefined {
  const full = annotations[ANNOTATION_IMAGE_NAME];
  if (full) return full;
  const ref = annotations[ANNOTATION_REF_NAME];
  if (ref && /[:/]/.test(ref)) {
    try {
      return referenceString(parseReference(ref));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function requiredBlob(store: ImageStore, digest: string, read = true): Buffer {
  if (!store.content.has(digest)) throw new UserError(`invalid archive: blob ${digest} is missing`);
  return read ? store.content.get(digest) : Buffer.alloc(0);
}

function resolveLinks(files: ArchiveFiles, path: string): string {
  let current = posix.normalize(path).replace(/^(\.\/|\/)+/, '');
  for (let hops = 0; files.links.has(current) && hops < 16; hops++) current = files.links.get(current)!;
  return current;
}

function bytesOf(store: ImageStore, files: ArchiveFiles, path: string): Buffer {
  const resolved = resolveLinks(files, path);
  const small = files.small.get(resolved);
  if (small) return small;
  const blob = files.stored.get(resolved);
  if (blob) return store.content.get(blob.digest);
  throw new UserError(`invalid archive: ${path} is missing`);
}

/** The file as a stored blob (small legacy layer tars were kept in memory until now). */
async function blobOf(store: ImageStore, files: ArchiveFiles, path: string): Promise<BlobInfo> {
  const resolved = resolveLinks(files, path);
  const stored = files.stored.get(resolved);
  if (stored) return stored;
  const small = files.small.get(resolved);
  if (!small) throw new UserError(`invalid archive: ${path} is missing`);
  const digest = sha256Digest(small);
  if (!store.content.has(digest)) files.added.add(digest);
  const info = await store.content.put(small, digest);
  files.stored.set(resolved, info);
  return info;
}

function layerMediaType(store: ImageStore, digest: string): string {
  const compression = detectFileCompression(store.content.path(digest));
  return compression === 'gzip' ? MEDIA_TYPES.ociLayerGzip : compression === 'zstd' ? MEDIA_TYPES.ociLayerZstd : MEDIA_TYPES.ociLayer;
}

function tryParse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseJson(bytes: Buffer, what: string): unknown {
  const value = tryParse(bytes);
  if (value === undefined) throw new UserError(`invalid archive: ${what} is not valid JSON`);
  return value;
}
