import { readAllStdin } from './global-options.js';
import { runCli } from './program.js';

// No top-level await: the bundle is CommonJS (see launcher.ts).
void runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: readAllStdin,
  streams: { in: process.stdin, out: process.stdout, err: process.stderr },
  env: process.env,
  cwd: process.cwd(),
}).then((exitCode) => {
  // Explicit: a command may leave handles open (a cancelled stream, stdin). Output is written synchronously to pipes,
  // files and terminals on Linux, so nothing is lost.
  process.exit(exitCode);
});
