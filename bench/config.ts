// `tscompose config` on a 50-service compose file, including process start, next to CLI start-up alone and
// `docker compose config` where that is installed. Prints medians.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installed, report, timeCommand } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SERVICES = 50;
const cli = resolve(import.meta.dirname, '../tscompose.cjs');

function composeFile(services: number): string {
  const lines = ['name: bench', 'services:'];
  for (let i = 0; i < services; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: busybox:\${TAG:-latest}`,
      `    command: ["sleep", "infinity"]`,
      `    environment: [INDEX=${i}, MODE=bench]`,
      `    ports: ["${10000 + i}:80"]`,
      `    volumes: ["data${i % 5}:/data", "./src:/src:ro"]`,
      `    labels: {com.example.index: "${i}"}`,
      `    healthcheck: {test: ["CMD", "true"], interval: 5s}`,
      ...(i > 0 ? [`    depends_on: [svc${i - 1}]`] : []),
    );
  }
  lines.push('volumes:', ...Array.from({ length: 5 }, (_, i) => `  data${i}: {}`));
  return lines.join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'tscompose-bench-'));
try {
  writeFileSync(join(dir, 'compose.yaml'), composeFile(SERVICES));
  console.log(`config benchmark: ${SERVICES} services, median of ${RUNS} runs`);
  report('node -e 0 (Node.js start, the floor)', timeCommand(process.execPath, ['-e', '0'], { cwd: dir, runs: RUNS }));
  report('tscompose version (CLI start-up)', timeCommand(process.execPath, [cli, 'version'], { cwd: dir, runs: RUNS }));
  report(`tscompose config (${SERVICES} services)`, timeCommand(process.execPath, [cli, 'config'], { cwd: dir, runs: RUNS }));
  report(`tscompose config -q (${SERVICES} services)`, timeCommand(process.execPath, [cli, 'config', '-q'], { cwd: dir, runs: RUNS }));
  if (installed('docker', ['compose', 'version'])) {
    report(`docker compose config (${SERVICES} services)`, timeCommand('docker', ['compose', 'config'], { cwd: dir, runs: RUNS }));
  } else console.log('docker compose: not installed here, no side-by-side figure');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
