#!/usr/bin/env node
// Bundles the CLI into one file (dist/tscompose.mjs): a command loads one module instead of about a hundred,
// which halves the start-up of `ps` and friends. The engine daemon and the init stage stay separate programs
// in dist/src (they are started by path); koffi stays external (a native addon).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/tscompose.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['koffi'],
  sourcemap: true,
  // CommonJS dependencies bundled into ESM still call require() for Node's built-ins
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
