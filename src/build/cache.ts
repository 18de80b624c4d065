/**
 * The build cache: which image a step produced on top of which parent, keyed by a digest of the parent image ID
 * and everything the step's result depends on (its instruction after expansion, the build args it sees, the
 * content of the files it copies). Kept in <root>/build-cache.json; an entry whose image is gone is a miss.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { sha256Digest } from '../image/digest.js';

/** How an image was built, to check later whether its inputs changed (build args only: never secrets). */
export interface BuildRecord {
  buildArgs: Record<string, string | null>;
}

interface CacheFile {
  version: 1;
  steps: Record<string, string>; // key → image ID
  images?: Record<string, BuildRecord>; // final image ID → how it was built
}

export class BuildCache {
  private readonly path: string;
  private data: CacheFile;

  constructor(root: string) {
    this.path = join(root, 'build-cache.json');
    this.data = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as CacheFile) : { version: 1, steps: {} };
  }

  static key(parentId: string, step: unknown): string {
    return sha256Digest(`${parentId}\n${JSON.stringify(step)}`);
  }

  get(key: string): string | undefined {
    return this.data.steps[key];
  }

  set(key: string, imageId: string): void {
    this.data.steps[key] = imageId;
    writeJsonAtomic(this.path, this.data);
  }

  record(imageId: string): BuildRecord | undefined {
    return this.data.images?.[imageId];
  }

  setRecord(imageId: string, record: BuildRecord): void {
    this.data.images = { ...(this.data.images ?? {}), [imageId]: record };
    writeJsonAtomic(this.path, this.data);
  }

  /** Image IDs the cache points at: build steps, hidden from `images` unless tagged. */
  imageIds(): Set<string> {
    return new Set(Object.values(this.data.steps));
  }

  /** `builder prune`: forgets every entry (the images go with the next image prune). */
  clear(): number {
    const count = Object.keys(this.data.steps).length;
    this.data = { version: 1, steps: {}, images: this.data.images ?? {} };
    writeJsonAtomic(this.path, this.data);
    return count;
  }
}
