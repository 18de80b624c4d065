// `up -d` and `down` of N = 1, 5, 20 services (busybox sleep, one network, a depends_on chain) and `ps`, medians of
// runs, next to docker-compose / podman-compose where installed. Needs root (its own engine).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startTestEngine } from '../test/helpers/engine.js';
import { installed, median, report, timeCommand } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '1,5,20').split(',').map(Number);
const cli = join(import.meta.dirname, '../tscompose.cjs');

function stack(n: number): string {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  s${i}:`, '    image: tscompose/busybox:latest', '    command: ["sleep", "100000"]', '    init: true', ...(i > 0 ? [`    depends_on: [s${i - 1}]`] : []));
  }
  return lines.join('\n') + '\n';
}

function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, '--progress', 'quiet', ...args], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tscompose ${args.join(' ')}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const engine = await startTestEngine('bench-compose');
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-bench-compose-'));
  try {
    console.log(`compose up -d / down, median of ${RUNS} runs (a depends_on chain, one network)`);
    for (const n of SIZES) {
      writeFileSync(join(dir, 'compose.yaml'), stack(n));
      const ups: number[] = [];
      const downs: number[] = [];
      const ps: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        ups.push(timed(['-p', 'bench', 'up', '-d'], dir, engine.env));
        ps.push(timed(['-p', 'bench', 'ps'], dir, engine.env));
        downs.push(timed(['-p', 'bench', 'down', '-t', '10'], dir, engine.env));
      }
      report(`tscompose up -d, N=${n}`, median(ups));
      report(`tscompose down, N=${n}`, median(downs));
      report(`tscompose ps, N=${n}`, median(ps));
    }
    // What Node itself takes to start here, the floor of every figure above (NODE_EXTRA_CA_CERTS, if set, adds to it).
    report(`node -e 0${process.env.NODE_EXTRA_CA_CERTS ? ' (NODE_EXTRA_CA_CERTS set)' : ''}`, timeCommand(process.execPath, ['-e', '0'], { cwd: dir, runs: RUNS, env: engine.env }));
    for (const tool of ['docker-compose', 'podman-compose']) console.log(`${tool}: ${installed(tool, ['version']) ? 'installed, not scripted yet' : 'not installed here'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    const left = await engine.stop();
    if (left.length) console.log(`LEFT BEHIND: ${left.join(', ')}`);
  }
}

await main();
