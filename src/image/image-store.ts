/**
 * The local image store: OCI blobs (content store), unpacked layers (snapshots), one record per image
 * (<root>/images/<id hex>.json) and the names pointing at images (<root>/repositories.json).
 * An image's ID is the digest of its config JSON, as in Docker.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { ContentStore } from './content-store.js';
import { chainIds, digestHex, isDigest } from './digest.js';
import { ImageConflictError, NoSuchImageError } from './image-errors.js';
import { MEDIA_TYPES, type OciDescriptor, type OciHistoryEntry, type OciImageConfig } from './oci-types.js';
import { familiarString, parseReference, referenceString, repositoryName, type ImageReference } from './reference.js';
import { ReferenceStore } from './reference-store.js';
import { applyChanges } from './changes.js';
import { importConfig, manifestFor, storeRootfsLayer } from './rootfs-import.js';
import { SnapshotStore } from './snapshots.js';
import { layerFromDir } from './layer-from-dir.js';
import { compareText } from '../util/compare-text.js';

export interface ImageRecord {
  id: string; // sha256:<config digest hex>
  repoTags: string[]; // familiar: "busybox:latest"
  repoDigests: string[]; // familiar: "busybox@sha256:..."
  created: string; // from the config
  size: number; // bytes of file content in all layers
  config: OciImageConfig;
  manifestDigest?: string;
  layers: OciDescriptor[]; // the layer blobs, lowest first
}

/** A container that uses an image, as the engine reports it for `remove`. */
export interface ImageUser {
  containerId: string;
  running: boolean;
}

export interface RemoveOptions {
  force?: boolean;
  /** The first container using the image, if any. */
  inUse?: (imageId: string) => ImageUser | undefined;
}

export interface RemoveResult {
  untagged: string[];
  deleted: string[];
}

/** What the store keeps per image besides the config blob. */
interface StoredImage {
  id: string;
  manifestDigest?: string;
  layers: OciDescriptor[];
}

export interface NewImage {
  config: Buffer; // the exact config JSON bytes (their digest is the image ID)
  layers: OciDescriptor[]; // blobs already in the content store, lowest first
  manifest?: Buffer; // stored too when given (pull, load); import writes one
}

/** What a commit step records about itself in the image's history. */
export interface CommitHistory {
  created_by?: string;
  comment?: string;
}

export interface CommitDirOptions {
  /** Rename `dir` into the snapshot store (it must be on the store's filesystem; it is gone afterwards). */
  move?: boolean;
  /** Entries left out of the layer (see layerFromDir); with `move` they are deleted from `dir` first. */
  exclude?: (relPath: string, stat: Stats) => boolean;
  history?: CommitHistory;
}

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

export class ImageStore {
  readonly content: ContentStore;
  readonly snapshots: SnapshotStore;
  private readonly references: ReferenceStore;
  private readonly imageDir: string;
  private readonly images = new Map<string, StoredImage>();

  constructor(readonly root: string) {
    this.content = new ContentStore(root);
    this.snapshots = new SnapshotStore(root);
    this.references = new ReferenceStore(join(root, 'repositories.json'));
    this.imageDir = join(root, 'images');
    mkdirSync(this.imageDir, { recursive: true });
    this.snapshots.cleanupLeftovers();
    for (const name of readdirSync(this.imageDir).filter((n) => n.endsWith('.json'))) {
      const stored = JSON.parse(readFileSync(join(this.imageDir, name), 'utf8')) as StoredImage;
      this.images.set(stored.id, stored);
    }
  }

  /** `image import`: a rootfs tarball (plain or gzip) becomes a one-layer image, tagged when a reference is given. */
  async importRootfs(tarPath: string, opts: { reference?: string; changes?: string[]; message?: string } = {}): Promise<ImageRecord> {
    const target = opts.reference === undefined ? undefined : this.tagTarget(opts.reference);
    const changes = opts.changes ?? [];
    applyChanges(changes); // a bad --change fails before any work
    const { layer, diffId } = await storeRootfsLayer(this.content, tarPath);
    const config = importConfig(diffId, { changes, message: opts.message ?? '' });
    let record: ImageRecord;
    try {
      record = await this.addImage({ config: Buffer.from(JSON.stringify(config)), layers: [layer] });
    } catch (e) {
      if (!this.reachable().blobs.has(layer.digest)) this.content.delete(layer.digest); // a refused layer leaves nothing
      throw e;
    }
    if (target) this.setReference(target, record.id);
    return this.get(record.id);
  }

  /**
   * Records an image whose layer blobs are in the content store: stores config (and manifest), unpacks
   * missing snapshots, writes the record. Shared by import, load and pull.
   */
  async addImage(image: NewImage): Promise<ImageRecord> {
    const config = parseConfig(image.config);
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== image.layers.length) {
      throw new UserError(`image config lists ${diffIds.length} layers, the manifest ${image.layers.length}`);
    }
    // layers unpack in parallel; each appears only once the one below it is in place
    await this.snapshots.ensureChain(image.layers.map((layer, i) => ({ diffId: diffIds[i]!, blobPath: this.content.path(layer.digest) })));
    const configInfo = await this.content.put(image.config); // after the layers: a refused layer leaves no config
    const configDescriptor: OciDescriptor = { mediaType: MEDIA_TYPES.ociConfig, ...configInfo };
    const manifest = image.manifest ?? Buffer.from(JSON.stringify(manifestFor(configDescriptor, image.layers)));
    const manifestInfo = await this.content.put(manifest);
    const stored: StoredImage = { id: configInfo.digest, manifestDigest: manifestInfo.digest, layers: image.layers };
    writeJsonAtomic(join(this.imageDir, `${digestHex(stored.id)}.json`), stored);
    this.images.set(stored.id, stored);
    return this.get(stored.id);
  }

  /**
   * A new image: `parent`'s layers plus the layer made of `dir` (overlay format: a container's upper dir, a build
   * step's output), with `config` as its config but for rootfs (parent's diff_ids + the new one) and history
   * (parent's + one entry for this step). A `dir` without any entry adds no layer: the history entry is marked
   * `empty_layer`, as Docker does. Unpacks the stored layer into a snapshot, or with `move` renames `dir` in
   * (falling back to unpacking when `dir` is on another filesystem; `dir` is removed then too). The record comes
   * back untagged (see `tag`).
   */
  async commitDir(parent: ImageRecord | undefined, dir: string, config: OciImageConfig, opts: CommitDirOptions = {}): Promise<ImageRecord> {
    const excluded: string[] = [];
    const exclude = opts.exclude;
    const made = await layerFromDir(this.content, dir, {
      ...(exclude
        ? {
            exclude: (relPath: string, stat: Stats) => {
              const out = exclude(relPath, stat);
              if (out) excluded.push(relPath);
              return out;
            },
          }
        : {}),
    });
    const created = config.created ?? new Date().toISOString();
    const entry = historyEntry(created, config.author, opts.history ?? {});
    const parentDiffIds = parent?.config.rootfs.diff_ids ?? [];
    if (made.empty) {
      if (opts.move) rmSync(dir, { recursive: true, force: true });
      if (!this.reachable().blobs.has(made.layer.digest)) this.content.delete(made.layer.digest);
      entry.empty_layer = true;
      return this.addChild(parent, { ...config, created }, entry, undefined);
    }
    let removeDir = false;
    if (opts.move) {
      for (const relPath of excluded) rmSync(join(dir, relPath), { recursive: true, force: true });
      const parentChain = parentDiffIds.length > 0 ? chainIds(parentDiffIds).at(-1) : undefined;
      try {
        this.snapshots.adopt(dir, { diffId: made.diffId, size: made.size, ...(parentChain !== undefined ? { parent: parentChain } : {}) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        removeDir = true; // another filesystem: addImage unpacks the blob instead
      }
    }
    const record = await this.addChild(parent, { ...config, created }, entry, made);
    if (removeDir) rmSync(dir, { recursive: true, force: true });
    return record;
  }

  /** A new image with `parent`'s layers and `config` (rootfs and history as commitDir): a metadata-only step. */
  async commitConfig(parent: ImageRecord, config: OciImageConfig, history: CommitHistory = {}): Promise<ImageRecord> {
    const created = config.created ?? new Date().toISOString();
    const entry = historyEntry(created, config.author, history);
    entry.empty_layer = true;
    return this.addChild(parent, { ...config, created }, entry, undefined);
  }

  /** Records parent + (optionally) one stored layer; a refused image leaves no blob of that layer behind. */
  private async addChild(parent: ImageRecord | undefined, config: OciImageConfig, entry: OciHistoryEntry, layer: { layer: OciDescriptor; diffId: string } | undefined): Promise<ImageRecord> {
    const diffIds = [...(parent?.config.rootfs.diff_ids ?? []), ...(layer ? [layer.diffId] : [])];
    const full: OciImageConfig = { ...config, rootfs: { type: 'layers', diff_ids: diffIds }, history: [...(parent?.config.history ?? []), entry] };
    const layers = [...(parent?.layers ?? []), ...(layer ? [layer.layer] : [])];
    try {
      return await this.addImage({ config: Buffer.from(JSON.stringify(full)), layers });
    } catch (e) {
      if (layer && !this.reachable().blobs.has(layer.layer.digest)) this.content.delete(layer.layer.digest);
      throw e;
    }
  }

  /** By name[:tag], name@digest, full ID, or an unambiguous ID prefix (with or without "sha256:"). */
  resolve(refOrId: string): ImageRecord | undefined {
    const id = this.resolveId(refOrId);
    return id === undefined ? undefined : this.record(id);
  }

  /** resolve, or Docker's "No such image" error. */
  get(refOrId: string): ImageRecord {
    const record = this.resolve(refOrId);
    if (!record) throw new NoSuchImageError(describeMissing(refOrId));
    return record;
  }

  /** Every image, newest first (as /images/json lists them). */
  list(): ImageRecord[] {
    return [...this.images.keys()].map((id) => this.record(id)).sort((a, b) => compareText(b.created, a.created));
  }

  /** `image tag SOURCE TARGET` */
  tag(source: string, target: string): void {
    const image = this.get(source);
    this.setReference(this.tagTarget(target), image.id);
  }

  /** Records that `repository@digest` names the image (after a pull or push). */
  addRepoDigest(repository: string, manifestDigest: string, imageId: string): void {
    const ref = parseReference(repository);
    this.setReference({ domain: ref.domain, path: ref.path, digest: manifestDigest }, imageId);
  }

  /** Overlay lowerdirs for the image's layers: short paths, LOWEST layer first (reverse them for `lowerdir=`). */
  lowerDirs(image: ImageRecord): string[] {
    return chainIds(image.config.rootfs.diff_ids).map((chainId) => this.snapshots.lowerDir(chainId));
  }

  /** The image's snapshot chain IDs, lowest first (what a container keeps alive). */
  chainIds(image: ImageRecord): string[] {
    return chainIds(image.config.rootfs.diff_ids);
  }

  lastTagTime(imageId: string): string | undefined {
    return this.references.lastTagTime(imageId);
  }

  /** `image rm` with Docker's semantics: a name untags (and deletes the image once nothing names it); an ID deletes. */
  remove(ref: string, opts: RemoveOptions = {}): RemoveResult {
    const image = this.get(ref);
    const result: RemoveResult = { untagged: [], deleted: [] };
    const user = opts.inUse?.(image.id);
    const byId = image.id.startsWith(ref) || digestHex(image.id).startsWith(ref);
    let quiet = false;
    if (!byId) {
      const named = parseReference(ref);
      const refs = this.references.referencesTo(image.id);
      if (!opts.force && isSingleReference(refs) && user) {
        throw new ImageConflictError(`conflict: unable to remove repository reference "${ref}" (must force) - container ${shortId(user.containerId)} is using its referenced image ${shortId(image.id)}`);
      }
      this.untag(referenceString(named), result);
      if (named.digest === undefined) this.untagOrphanDigests(named, image.id, result);
      if (this.references.referencesTo(image.id).length > 0) return result;
      quiet = true;
    } else if (isSingleReference(this.references.referencesTo(image.id))) {
      this.checkConflict(image.id, user, { force: !!opts.force, ignoreReferences: true });
      for (const reference of this.references.referencesTo(image.id)) this.untag(reference, result);
    }
    try {
      this.checkConflict(image.id, user, { force: !!opts.force, ignoreReferences: false });
    } catch (e) {
      if (quiet) return result; // the last name is gone but a container still holds it: keep it dangling
      throw e;
    }
    for (const reference of this.references.referencesTo(image.id)) this.untag(reference, result);
    this.deleteImage(image, user !== undefined, result);
    return result;
  }

  /** Deletes snapshots and blobs no image needs (and no container, per `snapshotsInUse`). */
  prune(snapshotsInUse: Set<string> = new Set()): { blobs: string[]; snapshots: string[] } {
    const keep = this.reachable();
    const snapshots = this.snapshots
      .list()
      .map((s) => s.chainId)
      .filter((id) => !keep.snapshots.has(id) && !snapshotsInUse.has(id))
      .filter((id) => this.snapshots.remove(id));
    const blobs = this.content.list().filter((digest) => !keep.blobs.has(digest) && this.content.delete(digest));
    return { blobs, snapshots };
  }

  private resolveId(refOrId: string): string | undefined {
    const full = /^[a-f0-9]{64}$/.test(refOrId) ? `sha256:${refOrId}` : refOrId;
    if (isDigest(full)) return this.images.has(full) ? full : undefined;
    try {
      const id = this.references.get(referenceString(parseReference(refOrId)));
      if (id !== undefined && this.images.has(id)) return id;
    } catch (e) {
      if (!(e instanceof UserError)) throw e; // not a name: may still be an ID prefix
    }
    return this.searchIdPrefix(refOrId);
  }

  private searchIdPrefix(term: string): string | undefined {
    const hex = term.startsWith('sha256:') ? term.slice('sha256:'.length) : term;
    if (!/^[a-f0-9]+$/.test(hex)) return undefined;
    const matches = [...this.images.keys()].filter((id) => digestHex(id).startsWith(hex));
    if (matches.length > 1) throw new UserError(`multiple images found with ID prefix ${term}`);
    return matches[0];
  }

  private record(id: string): ImageRecord {
    const stored = this.images.get(id)!;
    const config = this.content.getJson<OciImageConfig>(id);
    const refs = this.references.referencesTo(id).map((r) => parseReference(r));
    const size = chainIds(config.rootfs.diff_ids).reduce((sum, chainId) => sum + (this.snapshots.get(chainId)?.size ?? 0), 0);
    const record: ImageRecord = {
      id,
      repoTags: refs.filter((r) => r.digest === undefined).map(familiarString),
      repoDigests: refs.filter((r) => r.digest !== undefined).map(familiarString),
      created: config.created ?? '0001-01-01T00:00:00Z',
      size,
      config,
      layers: stored.layers,
    };
    if (stored.manifestDigest !== undefined) record.manifestDigest = stored.manifestDigest;
    return record;
  }

  /** A target name for tag/import: a tag (default "latest"), never a digest. */
  private tagTarget(target: string): ImageReference {
    const ref = parseReference(target);
    if (ref.digest !== undefined) throw new UserError('refusing to create a tag with a digest reference');
    return ref;
  }

  private setReference(ref: ImageReference, imageId: string): void {
    this.references.set(referenceString(ref), imageId);
  }

  private untag(reference: string, result: RemoveResult): void {
    if (this.references.delete(reference)) result.untagged.push(familiarString(parseReference(reference)));
  }

  /** After untagging repo:tag, digest references of that repository go too when no tag of it remains (Docker). */
  private untagOrphanDigests(named: ImageReference, imageId: string, result: RemoveResult): void {
    const refs = this.references.referencesTo(imageId).map((r) => parseReference(r));
    const repo = repositoryName(named);
    if (refs.some((r) => r.digest === undefined && repositoryName(r) === repo)) return;
    for (const r of refs.filter((r) => r.digest !== undefined && repositoryName(r) === repo)) this.untag(referenceString(r), result);
  }

  /** Docker's checkImageDeleteConflict: running users always block; stopped users and other names unless forced. */
  private checkConflict(imageId: string, user: ImageUser | undefined, opts: { force: boolean; ignoreReferences: boolean }): void {
    const id = shortId(imageId);
    if (user?.running) {
      throw new ImageConflictError(`conflict: unable to delete ${id} (cannot be forced) - image is being used by running container ${shortId(user.containerId)}`);
    }
    if (opts.force) return;
    if (!opts.ignoreReferences && this.references.referencesTo(imageId).length > 0) {
      throw new ImageConflictError(`conflict: unable to delete ${id} (must be forced) - image is referenced in multiple repositories`);
    }
    if (user) {
      throw new ImageConflictError(`conflict: unable to delete ${id} (must be forced) - image is being used by stopped container ${shortId(user.containerId)}`);
    }
  }

  /** Drops the record, then whatever of its blobs and snapshots no other image needs (snapshots stay for a container). */
  private deleteImage(image: ImageRecord, keepSnapshots: boolean, result: RemoveResult): void {
    rmSync(join(this.imageDir, `${digestHex(image.id)}.json`), { force: true });
    this.images.delete(image.id);
    this.references.forgetImage(image.id);
    result.deleted.push(image.id);
    const keep = this.reachable();
    if (!keepSnapshots) {
      for (const chainId of chainIds(image.config.rootfs.diff_ids).reverse()) {
        if (!keep.snapshots.has(chainId) && this.snapshots.remove(chainId)) result.deleted.push(chainId);
      }
    }
    const blobs = [image.id, image.manifestDigest, ...image.layers.map((l) => l.digest)];
    for (const digest of blobs) if (digest !== undefined && !keep.blobs.has(digest)) this.content.delete(digest);
  }

  /** Blobs and snapshots that the remaining images use. */
  private reachable(): { blobs: Set<string>; snapshots: Set<string> } {
    const blobs = new Set<string>();
    const snapshots = new Set<string>();
    for (const stored of this.images.values()) {
      blobs.add(stored.id);
      if (stored.manifestDigest) blobs.add(stored.manifestDigest);
      for (const layer of stored.layers) blobs.add(layer.digest);
      const config = this.content.getJson<OciImageConfig>(stored.id);
      for (const chainId of chainIds(config.rootfs.diff_ids)) snapshots.add(chainId);
    }
    return { blobs, snapshots };
  }
}

/** Docker's isSingleReference: at most one tag, and digests only of that tag's repository. */
function isSingleReference(references: string[]): boolean {
  if (references.length <= 1) return references.length === 1;
  const refs = references.map((r) => parseReference(r));
  const tags = refs.filter((r) => r.digest === undefined);
  if (tags.length > 1) return false;
  const digestRepos = new Set(refs.filter((r) => r.digest !== undefined).map(repositoryName));
  const single = tags[0] ?? refs[0]!;
  return digestRepos.size === 1 && digestRepos.has(repositoryName(single));
}

function historyEntry(created: string, author: string | undefined, history: CommitHistory): OciHistoryEntry {
  const entry: OciHistoryEntry = { created };
  if (author) entry.author = author;
  if (history.created_by !== undefined) entry.created_by = history.created_by;
  if (history.comment) entry.comment = history.comment;
  return entry;
}

function parseConfig(bytes: Buffer): OciImageConfig {
  try {
    const config = JSON.parse(bytes.toString('utf8')) as OciImageConfig;
    if (!Array.isArray(config?.rootfs?.diff_ids)) throw new Error('no rootfs.diff_ids');
    return config;
  } catch (e) {
    throw new UserError(`invalid image config: ${(e as Error).message}`);
  }
}

/** How Docker names a missing image: the familiar reference with its default tag, or the ID as given. */
function describeMissing(refOrId: string): string {
  try {
    return familiarString(parseReference(refOrId));
  } catch {
    return refOrId;
  }
}
