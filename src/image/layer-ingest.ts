/**
 * A layer blob arriving as a stream (a download) into the content store, verified by digest and size before it
 * appears, and unpacked on the way when asked (on a worker thread, while later bytes still arrive): the unpacked
 * tree is handed to `SnapshotStore.ensureChain` through the layer's `ready`. Without worker threads the blob is
 * stored here and unpacked later from its file.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { InternalError } from '../errors.js';
import { verify, type BlobInfo } from './content-store.js';
import type { ImageStore } from './image-store.js';
import { deserialize, startIngest, workersAvailable } from './layer-workers.js';
import type { Unpacked } from './snapshots.js';

export async function ingestLayer(
  store: ImageStore, source: AsyncIterable<Buffer>, expected: BlobInfo, opts: { unpack: boolean },
): Promise<Unpacked | undefined> {
  if (!workersAvailable) {
    await store.content.put(Readable.from(source), expected);
    return undefined;
  }
  const blobTemp = store.content.ingestPath();
  const temp = opts.unpack ? store.snapshots.newTempDir() : undefined;
  const discard = () => {
    rmSync(blobTemp, { force: true });
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  };
  const job = startIngest(blobTemp, temp === undefined ? undefined : join(temp, 'fs'));
  try {
    for await (const chunk of source) await job.write(chunk);
  } catch (e) {
    await job.abort();
    discard();
    throw e;
  }
  try {
    const result = await job.end();
    verify(result, expected); // a damaged blob is refused as such, whatever its unpack made of it
    if (result.unpackError) throw deserialize(result.unpackError);
    store.content.commitFile(blobTemp, result, expected);
    if (temp === undefined) return undefined;
    if (!result.unpacked) throw new InternalError(`layer ${expected.digest}: the worker reported no unpack`);
    return { temp, diffId: result.unpacked.diffId, contentSize: result.unpacked.contentSize };
  } catch (e) {
    discard();
    throw e;
  }
}
