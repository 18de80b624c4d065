#!/usr/bin/env node
/**
 * The engine daemon: one per state root. Listens on its UNIX socket, owns every container process, and stops them
 * all on SIGTERM/SIGINT. Started by `tscompose engine start` or, in the background, by any CLI command.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { ImageStore } from '../image/image-store.js';
import { openCgroupDriver } from '../runtime/cgroups/index.js';
import { StagePool } from '../runtime/stage-pool.js';
import { createApiServer } from './api/server.js';
import { engineConfigFromEnv, type EngineConfig } from './config.js';
import type { EngineContext } from './context.js';
import { ContainerStore } from './containers/store.js';
import { stopContainer } from './containers/ops/stop.js';
import { EventBus } from './events.js';
import { reconcileAfterStart } from './reconcile.js';
import { BridgeNetworkManager } from './networks/bridge-manager.js';
import { EmbeddedDns } from './networks/embedded-dns.js';
import { USERLAND_PROXY } from './networks/port-publisher.js';
import { LocalVolumeManager } from './volumes/local-manager.js';
import { BuildCache } from '../build/cache.js';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

export async function runEngine(config: EngineConfig): Promise<void> {
  mkdirSync(config.root, { recursive: true, mode: 0o711 });
  await claimSocket(config.socketPath);
  const id = engineId(config.root);
  const containers = new ContainerStore(join(config.root, 'containers'));
  const events = new EventBus();
  const engine: EngineContext = {
    config,
    engineId: id,
    kernelVersion: release(),
    containers,
    images: new ImageStore(join(config.root, 'image')),
    buildCache: new BuildCache(join(config.root, 'image')),
    cgroups: openCgroupDriver({ parent: config.cgroupParent }),
    events,
    running: new Map(),
    stagePool: new StagePool(config.stagePoolSize),
    networks: new BridgeNetworkManager({ root: config.root, engineId: id, containers, events, dns: new EmbeddedDns(log), ports: USERLAND_PROXY }),
    volumes: new LocalVolumeManager(config.root, () => engine),
    outputs: new Map(),
    execs: new Map(),
    removals: new Map(),
  };
  for (const record of engine.containers.load()) engine.outputs.set(record.id, new EventEmitter().setMaxListeners(0));
  await reconcileAfterStart(engine, log);
  engine.stagePool.refillSoon();
  const server = createApiServer(engine, log);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.socketPath, resolve));
  chmodSync(config.socketPath, 0o660);
  writeFileSync(join(config.root, 'engine.pid'), `${process.pid}\n`);
  log(`engine ${engine.engineId.slice(0, 12)} listening on ${config.socketPath} (root ${config.root}, cgroup ${engine.cgroups.version})`);
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ${engine.running.size} container(s)`);
    server.close();
    await engine.stagePool.drain();
    await Promise.all([...engine.running.keys()].map((id) => stopContainer(engine, engine.containers.get(id)).catch((e: unknown) => log(String(e)))));
    await engine.networks.shutdown().catch((e: unknown) => log(`networks: ${String(e)}`));
    engine.cgroups.removeParentIfEmpty();
    rmSync(config.socketPath, { force: true });
    rmSync(join(config.root, 'engine.pid'), { force: true });
    log('engine stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Refuses to start beside a live engine; removes a socket file that nobody answers on any more. */
async function claimSocket(socketPath: string): Promise<void> {
  mkdirSync(dirname(socketPath), { recursive: true, mode: 0o755 });
  if (!existsSync(socketPath)) return;
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect(socketPath, () => {
      probe.destroy();
      resolve(true);
    }).on('error', () => resolve(false));
  });
  if (alive) throw new Error(`an engine is already listening on ${socketPath}`);
  rmSync(socketPath, { force: true });
}

function engineId(root: string): string {
  const file = join(root, 'engine-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const id = randomBytes(32).toString('hex');
  writeFileSync(file, `${id}\n`);
  return id;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runEngine(engineConfigFromEnv(process.env)).catch((e: unknown) => {
    log(`engine failed to start: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  });
}
