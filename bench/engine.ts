// Container start-to-exit through the engine (API and CLI) next to the floor (util-linux unshare + chroot) and other
// runtimes where installed; then the engine's memory with 50 idle containers and the processes they cost.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxTarball, startTestEngine, TEST_IMAGE } from '../test/helpers/engine.js';
import type { EngineApi } from '../src/engine/client/engine-api.js';
import { installed, median, report, timeCommand } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const IDLE = Number(process.env.BENCH_IDLE ?? 50);

async function runViaApi(api: EngineApi): Promise<number> {
  const start = process.hrtime.bigint();
  const { Id } = await api.createContainer({ Image: TEST_IMAGE, Cmd: ['/bin/true'], HostConfig: { NetworkMode: 'none' } });
  const exit = await api.waitContainer(Id, 'next-exit');
  await api.startContainer(Id);
  await exit.result();
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  await api.removeContainer(Id);
  return elapsed;
}

function rssOf(pid: number): number {
  return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

function descendants(pid: number): number[] {
  const children = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).filter((n) => {
    try {
      return readFileSync(`/proc/${n}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(pid);
    } catch {
      return false;
    }
  }).map(Number);
  return children.flatMap((c) => [c, ...descendants(c)]);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the engine benchmark needs root');
  const engine = await startTestEngine('bench');
  const rootfs = mkdtempSync(join(tmpdir(), 'tscompose-bench-rootfs-'));
  try {
    execFileSync('tar', ['-xf', busyboxTarball(), '-C', rootfs]);
    console.log(`container start-to-exit of /bin/true, median of ${RUNS} runs`);
    report('floor: unshare --pid --fork --mount --uts --ipc --net chroot', timeCommand('unshare', ['--pid', '--fork', '--mount', '--uts', '--ipc', '--net', 'chroot', rootfs, '/bin/true'], { cwd: rootfs, runs: RUNS }));
    await runViaApi(engine.api); // warm-up
    const api: number[] = [];
    for (let i = 0; i < RUNS; i++) api.push(await runViaApi(engine.api));
    report('tscompose engine API (create+start+wait)', median(api));
    report('tscompose container run --rm (CLI, incl. node start)', timeCommand(process.execPath, [join(import.meta.dirname, '../tscompose.cjs'), 'container', 'run', '--rm', '--network', 'none', TEST_IMAGE, '/bin/true'], { cwd: rootfs, runs: RUNS, env: engine.env }));
    for (const [name, args] of [['crun', ['--version']], ['runc', ['--version']], ['podman', ['--version']], ['docker', ['info']]] as const) {
      console.log(`${name}: ${installed(name, [...args]) ? 'installed, but no side-by-side scenario is scripted yet' : 'not installed here'}`);
    }
    const before = rssOf(engine.process.pid!);
    for (let i = 0; i < IDLE; i++) engine.cli(['container', 'run', '-d', '--network', 'none', TEST_IMAGE, 'sleep', '100000']);
    await new Promise((r) => setTimeout(r, 1000));
    const after = rssOf(engine.process.pid!);
    const processes = descendants(engine.process.pid!);
    console.log(`engine RSS: ${before.toFixed(1)} MB idle, ${after.toFixed(1)} MB with ${IDLE} idle containers`);
    const pool = engine.config.stagePoolSize;
    console.log(`processes under the engine: ${processes.length} = ${IDLE} containers + ${processes.length - IDLE} ready init stage(s) (pool size ${pool}); per-container helpers: ${processes.length - IDLE - pool}`);
    spawnSync('true');
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
    const leftovers = await engine.stop();
    if (leftovers.length) console.log(`LEFT BEHIND: ${leftovers.join(', ')}`);
  }
}

await main();
