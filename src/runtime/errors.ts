/** A container (or exec) that failed before its payload ran: the user's command, user, mounts... were wrong. */
import { UserError } from '../errors.js';
import type { StartFailure } from './spec.js';

export class StartError extends UserError {
  readonly failure: StartFailure;
  constructor(failure: StartFailure) {
    super(failure.message, undefined, failure.exitCode);
    this.name = 'StartError';
    this.failure = failure;
  }
}
