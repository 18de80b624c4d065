/** Where a command writes: injectable so tests can run the CLI in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** docker compose prints warnings as logrus does in a terminal: `WARN[0000] ...` on stderr. */
export function warnTo(io: CliIO): (message: string) => void {
  return (message) => io.stderr(`WARN[0000] ${message}\n`);
}
