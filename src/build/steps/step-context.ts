/** What the filesystem steps of one build share. */
import type { EngineContext } from '../../engine/context.js';
import type { ImageRecord } from '../../image/image-store.js';
import type { BuildRequest } from '../request.js';
import type { SourceTree } from '../context/source-tree.js';

export interface StepContext {
  engine: EngineContext;
  request: BuildRequest;
  /** The Dockerfile's name as errors show it. */
  file: string;
  escape: '\\' | '`';
  /** This build's private scratch folder (secrets, heredoc files); removed when the build ends. */
  tempDir: string;
  /** Persistent folders of RUN --mount=type=cache. */
  cacheMountDir: string;
  /** Secret id → the private file holding it. */
  secretFiles: Map<string, string>;
  context: SourceTree;
  /** The image a COPY --from / RUN --mount from= names: a stage (built first), a named context or an image. */
  sourceImage(ref: string, line: number): Promise<ImageRecord | { dir: string }>;
}
