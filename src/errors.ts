/** Where a value came from in a user's file (1-based line and column). */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

/** A mistake in what the user gave us (file, flag, variable): printed as one line, exit code 1. */
export class UserError extends Error {
  readonly position: SourcePosition | undefined;
  readonly exitCode: number;
  constructor(message: string, position?: SourcePosition, exitCode = 1) {
    super(message);
    this.name = 'UserError';
    this.position = position;
    this.exitCode = exitCode;
  }

  /** `file:line:column: message`, the form editors and CI logs link to. */
  describe(): string {
    const p = this.position;
    if (!p) return this.message;
    const where = [p.file, p.line, p.column].filter((x) => x !== undefined).join(':');
    return `${where}: ${this.message}`;
  }
}

/** A bug in tscompose itself: printed with a hint to rerun with --debug. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
