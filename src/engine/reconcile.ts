import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineContext } from './context.js';
import { startContainer } from './containers/ops/start.js';
import { shouldRestart } from './containers/ops/restart-policy.js';

/**
 * After an engine crash: containers that were running died with it (their PID 1 had the engine as parent-death
 * signal), so they are marked exited; cgroups and mounts left behind are removed; restart policies are honoured.
 */
export async function reconcileAfterStart(engine: EngineContext, log: (line: string) => void): Promise<void> {
  const now = new Date().toISOString();
  for (const record of engine.containers.all()) {
    if (!['running', 'paused', 'restarting', 'removing'].includes(record.state.status)) continue;
    if (record.state.status === 'removing') {
      engine.containers.delete(record.id);
      continue;
    }
    Object.assign(record.state, { status: 'exited', pid: 0, exitCode: 137, finishedAt: now, error: 'the engine stopped while the container was running' });
    engine.containers.save(record);
    log(`reconcile: container ${record.name} (${record.id.slice(0, 12)}) marked exited`);
  }
  for (const id of engine.cgroups.listContainerIds()) {
    await engine.cgroups.container(id).destroy();
    log(`reconcile: removed leftover cgroup ${id.slice(0, 12)}`);
  }
  await removeBuildLeftovers(engine, log);
  // links, firewall chains and ip_forward claims a killed engine left: removed, then every stored network rebuilt
  await engine.networks.restore(log);
  for (const mount of mountsBelow(engine.config.root)) log(`reconcile: leftover mount ${mount} (unexpected: container mounts live in their own namespace)`);
  for (const record of engine.containers.all()) {
    if (record.state.status === 'exited' && shouldRestart(record)) {
      await startContainer(engine, record).catch((e: unknown) => log(`restart ${record.name}: ${(e as Error).message}`));
    }
  }
}

export function mountsBelow(root: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target === root || target.startsWith(`${root}/`));
}

/** A build the engine died in: its step containers and scratch folders (secrets) go. */
async function removeBuildLeftovers(engine: EngineContext, log: (line: string) => void): Promise<void> {
  for (const record of engine.containers.all().filter((r) => r.config.Labels?.['com.tscompose.build'] === 'true')) {
    engine.containers.delete(record.id);
    engine.volumes.release(record, true);
    log(`reconcile: removed build step container ${record.name}`);
  }
  const buildDir = join(engine.config.root, 'build');
  if (!existsSync(buildDir)) return;
  for (const name of readdirSync(buildDir).filter((n) => n.startsWith('tmp-'))) rmSync(join(buildDir, name), { recursive: true, force: true });
}
