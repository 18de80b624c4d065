/**
 * The `tscompose` program (bundled to dist/tscompose.cjs): runs the CLI bundle, one CommonJS file beside it,
 * through V8's code cache. Parsing and compiling the 1.4 MB bundle costs a short command like `ps` a quarter of
 * its time; with the cache, V8 reads compiled code back instead. The build makes the cache with every function
 * compiled (`TSCOMPOSE_WRITE_CODE_CACHE=1`); without a cache V8 takes (another Node, other flags), the command
 * runs uncached and leaves a cache of what it compiled for the next one, where it can write one.
 * It is CommonJS itself: Node's ESM loader, which an .mjs entry starts, costs every command about 8 ms.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, 'tscompose-bundle.cjs');
// V8 takes a cache only from the same Node with the same flags: one cache per such setting, so that a run with
// other flags (--cpu-prof, NODE_OPTIONS) does not replace the build's complete cache with a partial one of its own.
const setting = [process.version, ...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
const cacheFile = `${bundle}.${createHash('sha256').update(setting).digest('hex').slice(0, 12)}.cache`;

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Writes the code compiled by the end of this run, atomically; a read-only install simply stays uncached. */
function saveCacheOnExit(script: Script, eager: boolean): void {
  process.once('exit', () => {
    const temp = `${cacheFile}.${process.pid}`;
    try {
      if (eager) setFlagsFromString('--lazy'); // back to the default: V8 stamps the cache with the flags in force

      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      rmSync(temp, { force: true });
    }
  });
}

// The build's run compiles every function (not only those `--help` runs), so that the cache serves every command.
const eager = process.env.TSCOMPOSE_WRITE_CODE_CACHE === '1';
if (eager) setFlagsFromString('--no-lazy');
const cachedData = eager ? undefined : readCache();
const bytes = readFileSync(bundle);
// The build escapes every non-ASCII character: the bundle becomes a one-byte string at once (UTF-8 decoding costs ms).
const text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
// The CommonJS wrapper on the bundle's first line: line numbers in stack traces stay the bundle's own.
const source = `(function (exports, require, module, __filename, __dirname) {${text}\n})`;
const script = new Script(source, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
if (!cachedData || script.cachedDataRejected) saveCacheOnExit(script, eager);
const cjsModule = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(cjsModule.exports, createRequire(bundle), cjsModule, bundle, here);
