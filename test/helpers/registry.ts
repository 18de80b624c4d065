/**
 * A real registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 with a free port and
 * a storage dir of its own, optionally behind htpasswd (basic) or token (bearer) auth. Stopped by its PID.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export type RegistryAuth =
  | { htpasswd: string } // path of an htpasswd file (bcrypt entries)
  | { token: { realm: string; service: string; issuer: string; rootCertBundle: string } };

export interface TestRegistry {
  host: string; // "127.0.0.1:PORT", the reference domain
  port: number;
  storage: string; // the filesystem driver's root (tests alter blobs there)
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Why registry tests cannot run here, or false. */
export function registryMissing(): string | false {
  return spawnSync(REGISTRY_BINARY, ['--version']).status === 0 ? false : `${REGISTRY_BINARY} not installed (apt-get install docker-registry)`;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function configYaml(storage: string, port: number, auth: RegistryAuth | undefined): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (auth && 'htpasswd' in auth) lines.push('auth:', '  htpasswd:', '    realm: test-realm', `    path: ${auth.htpasswd}`);
  if (auth && 'token' in auth) {
    const t = auth.token;
    lines.push('auth:', '  token:', `    realm: ${t.realm}`, `    service: ${t.service}`, `    issuer: ${t.issuer}`, `    rootcertbundle: ${t.rootCertBundle}`);
  }
  return lines.join('\n') + '\n';
}

export async function startRegistry(opts: { auth?: RegistryAuth } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-registry-'));
  const storage = join(dir, 'storage');
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(config, configYaml(storage, port, opts.auth));
  const child = spawn(REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const registry: TestRegistry = {
    host: `127.0.0.1:${port}`,
    port,
    storage,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitForRegistry(port, child, () => stderr);
  } catch (e) {
    await registry.stop();
    throw e;
  }
  return registry;
}

async function waitForRegistry(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited ${child.exitCode}: ${stderr()}`);
    const status = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/v2/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 200 || status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not answer on port ${port}: ${stderr()}`);
}

/** The registry's file for a blob (filesystem driver layout), to corrupt it in tests. */
export function registryBlobPath(registry: TestRegistry, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return join(registry.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
}
