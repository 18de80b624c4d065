/** One copy between a container (by ID or name) and the host, in the direction the operands gave. */
import type { HttpClient } from '../../engine/client/http-client.js';
import type { CliIO } from '../io.js';
import type { CopyDirection } from './args.js';
import { copyFromContainer } from './from-container.js';
import { copyToContainer } from './to-container.js';

export interface CopyFlags {
  followLink: boolean;
}

/** Returns the archive's size in bytes. */
export function runCopy(http: HttpClient, direction: CopyDirection, container: string, flags: CopyFlags, io: CliIO): Promise<number> {
  if (direction.to === 'local') return copyFromContainer(http, container, direction.src, direction.dst, { followLink: flags.followLink, stdout: io.streams.out });
  return copyToContainer(http, direction.src, container, direction.dst, { followLink: flags.followLink, stdin: io.streams.in });
}

/** docker cp's destination words: the host path, or `CONTAINER:PATH`. */
export function destinationOf(direction: CopyDirection, containerName: string): string {
  return direction.to === 'local' ? direction.dst : `${containerName}:${direction.dst}`;
}
