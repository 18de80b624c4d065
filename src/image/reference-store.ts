/**
 * Which image each name points to: fully qualified references ("docker.io/library/busybox:latest",
 * "docker.io/library/busybox@sha256:...") → image ID, in one JSON file written atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../util/atomic-write.js';

interface ReferenceFile {
  references: Record<string, string>;
  tagTimes?: Record<string, string>; // image ID → when a tag last pointed at it (Docker's LastTagTime)
}

export class ReferenceStore {
  private data: ReferenceFile;

  constructor(private readonly file: string) {
    this.data = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ReferenceFile) : { references: {} };
    this.data.tagTimes ??= {};
  }

  get(reference: string): string | undefined {
    return this.data.references[reference];
  }

  /** Points `reference` at `imageId` (moving it from another image if needed). */
  set(reference: string, imageId: string): void {
    this.data.references[reference] = imageId;
    this.data.tagTimes![imageId] = new Date().toISOString();
    this.save();
  }

  delete(reference: string): boolean {
    if (!(reference in this.data.references)) return false;
    delete this.data.references[reference];
    this.save();
    return true;
  }

  /** Every reference to the image, sorted. */
  referencesTo(imageId: string): string[] {
    return Object.entries(this.data.references)
      .filter(([, id]) => id === imageId)
      .map(([reference]) => reference)
      .sort();
  }

  lastTagTime(imageId: string): string | undefined {
    return this.data.tagTimes![imageId];
  }

  forgetImage(imageId: string): void {
    delete this.data.tagTimes![imageId];
    this.save();
  }

  private save(): void {
    writeJsonAtomic(this.file, this.data);
  }
}
