/** The CLI's side of POST /build: the request as JSON, the progress as JSON messages (see src/build/progress.ts). */
import type { BuildRequestInput } from '../../build/request.js';
import type { StepEvent } from '../../build/progress.js';
import type { JsonMessage } from '../../image/registry/progress.js';
import type { HttpClient } from './http-client.js';
import { jsonMessages } from './image-transfer.js';

export type BuildMessage = JsonMessage & { build?: StepEvent };

/** Starts a build; iterate the messages (an engine-side failure is thrown as a StreamError at its line). */
export async function buildImage(http: HttpClient, request: BuildRequestInput): Promise<AsyncGenerator<BuildMessage>> {
  const res = await http.stream('POST', '/build', { body: request });
  return jsonMessages(res) as AsyncGenerator<BuildMessage>;
}

export function pruneBuildCache(http: HttpClient): Promise<{ CachesDeleted: string[]; SpaceReclaimed: number }> {
  return http.json('POST', '/build/prune');
}
