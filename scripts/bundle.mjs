#!/usr/bin/env node
// Bundles the CLI into one CommonJS file (dist/tscompose-bundle.cjs): a command loads one module instead of about a
// hundred. dist/tscompose.cjs (src/cli/launcher.ts) runs it through V8's code cache, made here with every function
// compiled. The engine daemon and the init stage stay separate programs in dist/src (they are started by path);
// koffi stays external (a native addon).
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
// The launcher reads an ASCII bundle as a one-byte string at once. esbuild escapes strings but keeps other characters
// in regular expressions and in the comments it keeps (one of zod's): \u escapes mean the same in both.
const bundled = readFileSync('dist/tscompose-bundle.cjs', 'utf8');
const ascii = bundled.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
if (ascii !== bundled) writeFileSync('dist/tscompose-bundle.cjs', ascii);
await build({
  ...common,
  entryPoints: ['src/cli/launcher.ts'],
  outfile: 'dist/tscompose.cjs',
  format: 'cjs',
  define: { 'import.meta.url': '__launcherUrl' },
  banner: { js: "#!/usr/bin/env node\nconst __launcherUrl = require('node:url').pathToFileURL(__filename).href;" },
});
chmodSync('dist/tscompose.cjs', 0o755);
rmSync('dist/tscompose.mjs', { force: true }); // the entry of earlier builds

for (const name of readdirSync('dist')) if (/^tscompose-bundle\.cjs\..*cache$/.test(name)) rmSync(`dist/${name}`);
const made = spawnSync(process.execPath, ['dist/tscompose.cjs', '--help'], {
  env: { ...process.env, TSCOMPOSE_WRITE_CODE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (made.status !== 0) throw new Error(`making the code cache failed (exit ${made.status})`);
