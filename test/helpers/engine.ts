import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntilUp } from '../../src/engine/client/autostart.js';
import { EngineApi } from '../../src/engine/client/engine-api.js';
import { HttpClient } from '../../src/engine/client/http-client.js';
import type { EngineConfig } from '../../src/engine/config.js';
import { CLI_ENTRY, REPO_ROOT } from './paths.js';

export const TEST_IMAGE = 'tscompose/busybox:latest';

/** One engine of a test file's own: temp state root, socket and cgroup parent, the busybox image imported. */
export interface TestEngine {
  config: EngineConfig;
  api: EngineApi;
  env: NodeJS.ProcessEnv;
  process: ChildProcess;
  /** Runs the built CLI against this engine. */
  cli(args: string[], opts?: { input?: string; timeoutMs?: number }): { code: number; stdout: string; stderr: string };
  /** Stops the engine (SIGTERM), removes its root, and returns what it left on the host (empty = clean). */
  stop(): Promise<string[]>;
}

/** The busybox rootfs tarball, built once per machine boot and shared by test files. */
export function busyboxTarball(): string {
  const dir = join(tmpdir(), 'tscompose-test-fixtures');
  const tar = join(dir, 'busybox-rootfs.tar');
  if (!existsSync(tar)) {
    mkdirSync(dir, { recursive: true });
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/make-busybox-rootfs.mjs'), `${tar}.tmp-${process.pid}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`make-busybox-rootfs failed: ${r.stderr}`);
    spawnSync('mv', ['-f', `${tar}.tmp-${process.pid}`, tar]);
  }
  return tar;
}

export async function startTestEngine(name: string): Promise<TestEngine> {
  const base = mkdtempSync(join(tmpdir(), `tscompose-test-${name}-`));
  const config: EngineConfig = {
    root: join(base, 'root'),
    socketPath: join(base, 'engine.sock'),
    cgroupParent: `tscompose-test-${name}-${process.pid}`,
    logFile: join(base, 'root', 'engine.log'),
    stagePoolSize: 1,
  };
  // Test engines reach loopback registries only: a pull of `alpine` must fail here, not resolve Docker Hub.
  const env = { ...process.env, TSCOMPOSE_ROOT: config.root, TSCOMPOSE_HOST: config.socketPath, TSCOMPOSE_CGROUP_PARENT: config.cgroupParent, TSCOMPOSE_REGISTRY_ALLOW: 'loopback' };
  const child = launchEngine(config, env);
  const api = new EngineApi(new HttpClient(config.socketPath));
  await waitUntilUp(api.http, config);
  const imported = spawnSync(process.execPath, [CLI_ENTRY, 'image', 'import', busyboxTarball(), TEST_IMAGE, '--change', 'CMD ["sh"]'], { env, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`image import failed: ${imported.stderr}`);
  const engine: TestEngine = {
    config,
    api,
    env,
    process: child,
    cli: (args, opts = {}) => {
      const r = spawnSync(process.execPath, [CLI_ENTRY, ...args], { env, encoding: 'utf8', input: opts.input ?? '', timeout: opts.timeoutMs ?? 60_000 });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    stop: async () => {
      if (engine.process.exitCode === null && engine.process.signalCode === null) {
        engine.process.kill('SIGTERM');
        await new Promise((resolve) => engine.process.once('exit', resolve));
      }
      const leftovers = hostLeftovers(config);
      rmSync(base, { recursive: true, force: true });
      return leftovers;
    },
  };
  return engine;
}

/** Starts (or restarts, after a crash test) the daemon for this config, as the CLI's auto-start would. */
export function launchEngine(config: EngineConfig, env: NodeJS.ProcessEnv): ChildProcess {
  mkdirSync(config.root, { recursive: true });
  return spawn(process.execPath, [join(REPO_ROOT, 'dist/src/engine/daemon.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** What an engine left on the host: mounts under its root, its cgroups, processes still in them. */
export function hostLeftovers(config: EngineConfig): string[] {
  const found: string[] = [];
  for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
    const target = line.split(' ')[1];
    if (target && target.startsWith(config.root)) found.push(`mount ${target}`);
  }
  for (const controller of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    const dir = join('/sys/fs/cgroup', controller, config.cgroupParent);
    if (existsSync(dir)) found.push(`cgroup ${dir}`);
  }
  return [...found, ...networkLeftovers(config)];
}

/** Links marked with the engine's alias (bridges, host ends of veth pairs), `tsc*` netns, its iptables chains. */
function networkLeftovers(config: EngineConfig): string[] {
  const idFile = join(config.root, 'engine-id');
  if (!existsSync(idFile)) return [];
  const tag = readFileSync(idFile, 'utf8').trim().slice(0, 12);
  const run = (cmd: string, args: string[]): string => spawnSync(cmd, args, { encoding: 'utf8' }).stdout ?? '';
  const links = run('ip', ['-o', 'link', 'show']).split('\n').filter((l) => l.includes(`alias tscompose:${tag}`)).map((l) => `link ${l.split(':')[1]?.trim()}`);
  const netns = run('ip', ['netns', 'list']).split('\n').filter((l) => l.startsWith('tsc')).map((l) => `netns ${l}`);
  const rules = ['filter', 'nat'].flatMap((table) => run('iptables', ['-w', '-t', table, '-S']).split('\n').filter((l) => l.includes(tag)).map((l) => `iptables -t ${table} ${l}`));
  return [...links, ...netns, ...rules];
}
