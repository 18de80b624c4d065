/** After a failed (or partly useless) pull or load: drop the blobs and snapshots it added that no image uses. */
import type { ImageStore } from '../image-store.js';

export function discardUnreferenced(store: ImageStore, blobs: Iterable<string>, snapshots: Iterable<string> = []): void {
  const images = store.list();
  const usedBlobs = new Set(images.flatMap((i) => [i.id, ...(i.manifestDigest ? [i.manifestDigest] : []), ...i.layers.map((l) => l.digest)]));
  const usedSnapshots = new Set(images.flatMap((i) => store.chainIds(i)));
  for (const chainId of [...snapshots].reverse()) if (!usedSnapshots.has(chainId)) store.snapshots.remove(chainId);
  for (const digest of blobs) if (!usedBlobs.has(digest)) store.content.delete(digest);
}
