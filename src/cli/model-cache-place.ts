/** Where the CLI keeps loaded projects between commands (compose/model-cache.ts), or nowhere. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelCache } from '../compose/model-cache.js';

/** `$XDG_CACHE_HOME/tscompose/models` (else `~/.cache/…`); `TSCOMPOSE_MODEL_CACHE=0` turns the cache off. */
export function modelCachePlace(env: NodeJS.ProcessEnv): ModelCache | undefined {
  if (env.TSCOMPOSE_MODEL_CACHE === '0') return undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  if (!base) return undefined;
  // This file's own stamp: in the bundle it is the bundle's, which every build rewrites.
  const code = statSync(fileURLToPath(import.meta.url));
  return { dir: join(base, 'tscompose', 'models'), codeStamp: `${code.mtimeMs}:${code.size}` };
}
