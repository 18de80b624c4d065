// Builds of a 10-step Dockerfile (3 RUN, 2 COPY, WORKDIR, ENV, ARG, EXPOSE, CMD) on the local busybox image:
// cold (--no-cache) and fully cached rebuild through `tscompose build`, and CLI start alone (`version`), medians of
// runs; `docker build` / `podman build` side by side where installed. Needs root (its own engine).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startTestEngine, TEST_IMAGE } from '../test/helpers/engine.js';
import { installed, median, report } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const cli = join(import.meta.dirname, '../tscompose.cjs');

const DOCKERFILE = `FROM ${TEST_IMAGE}
ARG LEVEL=3
ENV APP_HOME=/app
WORKDIR /app
COPY src/ ./src/
RUN mkdir -p out && for f in src/*.txt; do tr a-z A-Z < "$f" > "out/$(basename "$f")"; done
COPY config.ini ./
RUN sed -i "s/level=.*/level=$LEVEL/" config.ini
RUN rm -rf src && ls out > manifest
EXPOSE 8080
CMD ["cat", "manifest"]
`;

function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tscompose ${args.join(' ')}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const engine = await startTestEngine('bench-build');
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-bench-build-'));
  try {
    mkdirSync(join(dir, 'src'));
    for (let i = 0; i < 50; i++) writeFileSync(join(dir, 'src', `file${i}.txt`), `content of file ${i}\n`.repeat(100));
    writeFileSync(join(dir, 'config.ini'), 'name=bench\nlevel=1\n');
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  app:\n    build: .\n');
    const build = ['--progress', 'quiet', 'build'];
    timed(build, dir, engine.env); // warm-up: the base image's snapshots and the page cache
    const cold = Array.from({ length: RUNS }, () => timed([...build, '--no-cache'], dir, engine.env));
    const cached = Array.from({ length: RUNS }, () => timed(build, dir, engine.env));
    const start = Array.from({ length: RUNS }, () => timed(['version'], dir, engine.env));
    console.log(`build of a 10-step Dockerfile (50 files copied), median of ${RUNS} runs`);
    report('tscompose build --no-cache (cold)', median(cold));
    report('tscompose build (fully cached)', median(cached));
    report('tscompose version (CLI start alone)', median(start));
    report('cached rebuild minus CLI start', median(cached) - median(start));
    for (const tool of ['docker', 'podman']) console.log(`${tool} build: ${installed(tool, ['version']) ? 'installed, not scripted yet' : 'not installed here'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    const left = await engine.stop();
    if (left.length) console.log(`LEFT BEHIND: ${left.join(', ')}`);
  }
}

await main();
