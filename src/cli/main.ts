#!/usr/bin/env node
import { readAllStdin } from './global-options.js';
import { runCli } from './program.js';

const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: readAllStdin,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = exitCode;
