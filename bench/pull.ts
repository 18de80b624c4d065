// Pull of a ~200 MB multi-layer image (random data, gzip) from a local docker-registry: `tscompose image pull`
// (download, verify, unpack; layers unpack on worker threads as they arrive) next to `skopeo copy … dir:` (download
// and verify only). Median of BENCH_RUNS runs.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../src/image/image-store.js';
import { pullImage } from '../src/image/registry/pull.js';
import { startTestEngine } from '../test/helpers/engine.js';
import { CLI_ENTRY } from '../test/helpers/paths.js';
import { fixtureImage, pushFixture } from '../test/helpers/oci-fixtures.js';
import { registryMissing, startRegistry } from '../test/helpers/registry.js';
import { RepositoryClient } from '../src/image/registry/repository-client.js';
import { installed, median, report } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LAYERS = Number(process.env.BENCH_LAYERS ?? 4);
const LAYER_MB = Number(process.env.BENCH_LAYER_MB ?? 50);

function timed(command: string, args: string[], env?: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', ...(env ? { env } : {}) });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const missing = registryMissing();
  if (missing) return console.log(`pull bench skipped: ${missing}`);
  const registry = await startRegistry();
  const engine = await startTestEngine('bench-pull');
  try {
    const layers = Array.from({ length: LAYERS }, (_, i) => ({ [`data-${i}.bin`]: randomBytes(LAYER_MB * 1024 * 1024) }));
    const image = fixtureImage(layers);
    const repo = `${registry.host}/bench/random`;
    await pushFixture(new RepositoryClient(repo, { actions: 'pull,push' }), image, 'v1');
    const total = image.layers.reduce((sum, l) => sum + l.length, 0);
    console.log(`image: ${LAYERS} layers, ${(total / 1e6).toFixed(0)} MB compressed; ${RUNS} runs each (median)`);

    const ours = (): number => {
      engine.cli(['image', 'rm', `${repo}:v1`]);
      return timed(process.execPath, [CLI_ENTRY, 'image', 'pull', '-q', `${repo}:v1`], engine.env);
    };
    ours();
    report('tscompose image pull (CLI → engine, unpacked)', median(Array.from({ length: RUNS }, ours)));

    // The same pull in process: the engine's share of the figure above, without the CLI's start and the API.
    const inProcess = async (): Promise<number> => {
      const store = new ImageStore(mkdtempSync(join(tmpdir(), 'tscompose-bench-store-')));
      const start = Date.now();
      await pullImage(store, `${repo}:v1`);
      const total = Date.now() - start;
      rmSync(store.root, { recursive: true, force: true });
      return total;
    };
    const inProcessRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) inProcessRuns.push(await inProcess());
    report('  in process: whole pull (download, verify, unpack)', median(inProcessRuns));

    if (installed('skopeo', ['--version'])) {
      const dir = '/tmp/tscompose-bench-skopeo';
      const theirs = (): number => {
        rmSync(dir, { recursive: true, force: true });
        return timed('skopeo', ['copy', '--src-tls-verify=false', `docker://${repo}:v1`, `dir:${dir}`]);
      };
      theirs();
      report('skopeo copy docker:// dir: (not unpacked)', median(Array.from({ length: RUNS }, theirs)));
      rmSync(dir, { recursive: true, force: true });
    } else console.log('skopeo not installed: no side-by-side figure');
  } finally {
    await engine.stop();
    await registry.stop();
  }
}

await main();
