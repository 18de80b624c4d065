/** Where a command writes: injectable so tests can run the CLI in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  /** Byte streams, for container output and interactive input. */
  streams: { in: NodeJS.ReadStream; out: NodeJS.WriteStream; err: NodeJS.WriteStream };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** docker compose prints warnings as logrus does in a terminal: `WARN[0000] ...` on stderr. */
export function warnTo(io: CliIO): (message: string) => void {
  return (message) => io.stderr(`WARN[0000] ${message}\n`);
}

/** Ends a command with an exit code and no message (e.g. `run` passes on the container's exit code). */
export class CommandExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CommandExit';
  }
}
