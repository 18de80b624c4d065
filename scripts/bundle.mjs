#!/usr/bin/env node
// Bundles the CLI into one CommonJS file (dist/tscompose-bundle.cjs): a command loads one module instead of about a
// hundred. dist/tscompose.mjs (src/cli/launcher.ts) runs it through V8's code cache, made here with every function
// compiled. The engine daemon and the init stage stay separate programs in dist/src (they are started by path);
// koffi stays external (a native addon).
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/tscompose-bundle.cjs',
  format: 'cjs',
  external: ['koffi'],
  sourcemap: true,
  // package-root.ts finds dist/ from its own URL: in the bundle, the bundle's
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: ['src/cli/launcher.ts'], outfile: 'dist/tscompose.mjs', format: 'esm', banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/tscompose.mjs', 0o755);

for (const name of readdirSync('dist')) if (/^tscompose-bundle\.cjs\..*cache$/.test(name)) rmSync(`dist/${name}`);
const made = spawnSync(process.execPath, ['dist/tscompose.mjs', '--help'], {
  env: { ...process.env, TSCOMPOSE_WRITE_CODE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (made.status !== 0) throw new Error(`making the code cache failed (exit ${made.status})`);
