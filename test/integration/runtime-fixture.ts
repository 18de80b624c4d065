/** A busybox rootfs in a temp folder and container specs over it, for the runtime's integration tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ContainerSpec, ProcessSpec } from '../../src/runtime/spec.js';
import { DEFAULT_CAPABILITIES } from '../../src/runtime/capabilities.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_PATH_ENV, DEFAULT_READONLY_PATHS } from '../../src/runtime/defaults.js';

export interface Rootfs {
  dir: string;
  lower: string;
  /** A fresh upper/work/merged set per container (all inside `dir`). */
  layer(name: string): { upperDir: string; workDir: string; mountPoint: string };
  cleanup(): void;
}

export function busyboxRootfs(): Rootfs {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-runtime-test-'));
  const lower = join(dir, 'lower');
  for (const d of ['bin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root', 'home/user']) mkdirSync(join(lower, d), { recursive: true });
  copyFileSync('/bin/busybox', join(lower, 'bin/busybox'));
  chmodSync(join(lower, 'bin/busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  for (const a of applets) symlinkSync('busybox', join(lower, 'bin', a));
  writeFileSync(join(lower, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n');
  writeFileSync(join(lower, 'etc/group'), 'root:x:0:\ntty:x:5:\nusers:x:100:user\nuser:x:1000:\n');
  writeFileSync(join(lower, 'etc/hostname'), 'image\n');
  return {
    dir,
    lower,
    layer(name) {
      const paths = { upperDir: join(dir, name, 'upper'), workDir: join(dir, name, 'work'), mountPoint: join(dir, name, 'merged') };
      for (const p of Object.values(paths)) mkdirSync(p, { recursive: true });
      return paths;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

let counter = 0;

export function processSpec(args: string[], overrides: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    args,
    env: [DEFAULT_PATH_ENV],
    cwd: '/',
    user: { uid: 0, gid: 0, additionalGids: [] },
    terminal: false,
    noNewPrivileges: true,
    capabilities: [...DEFAULT_CAPABILITIES],
    rlimits: [],
    ...overrides,
  };
}

export function containerSpec(rootfs: Rootfs, args: string[], overrides: Partial<ContainerSpec> = {}, proc: Partial<ProcessSpec> = {}): ContainerSpec {
  const id = `tsctest${process.pid}x${counter++}`;
  return {
    id,
    hostname: 'tsc-test-host',
    rootfs: { lowerDirs: [rootfs.lower], ...rootfs.layer(id), readOnly: false },
    process: processSpec(args, proc),
    mounts: [],
    etcFiles: {},
    maskedPaths: [...DEFAULT_MASKED_PATHS],
    readonlyPaths: [...DEFAULT_READONLY_PATHS],
    sysctls: {},
    privileged: false,
    init: false,
    ...overrides,
  };
}

export function collect(stream: Readable | undefined): Promise<string> {
  if (!stream) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (text += c));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

export const hostMounts = (): string => readFileSync('/proc/self/mounts', 'utf8');
