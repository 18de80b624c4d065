#!/usr/bin/env node
// Runs the compiled test files of one kind (unit, conformance, integration) or all, with node's test runner.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kind = process.argv[2] ?? 'all';
let kinds = kind === 'all' ? ['unit', 'conformance', 'integration'] : [kind];

// Integration tests start real containers: root only. CI runs as root; elsewhere they are skipped, loudly.
if (kinds.includes('integration') && process.getuid?.() !== 0) {
  if (process.env.CI) {
    console.error('integration tests need root, and CI must run them as root');
    process.exit(1);
  }
  console.log('integration tests need root: skipped outside CI (CI unset, not root)');
  kinds = kinds.filter((k) => k !== 'integration');
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

const files = kinds.flatMap((k) => testFiles(join(root, 'dist/test', k))).sort();
if (files.length === 0) {
  console.error(`no test files for ${kind}`);
  process.exit(1);
}
// Integration tests share host resources (bridges, cgroups): one file at a time keeps them from racing.
const concurrency = kinds.includes('integration') ? '1' : String(Math.max(2, 2));
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
