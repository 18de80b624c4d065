/** Typed volume errors carrying the HTTP status the Docker API gives them (plain UserError = 400). */
import { UserError } from '../errors.js';

export class NoSuchVolumeError extends UserError {
  readonly statusCode = 404;
  constructor(readonly volumeName: string, verb = 'get') {
    super(`${verb} ${volumeName}: no such volume`);
    this.name = 'NoSuchVolumeError';
  }
}

/** Docker's "volume is in use - [ids]" (409): some container, running or not, mounts it. */
export class VolumeInUseError extends UserError {
  readonly statusCode = 409;
  constructor(readonly volumeName: string, readonly containerIds: string[]) {
    super(`remove ${volumeName}: volume is in use - [${containerIds.join(', ')}]`);
    this.name = 'VolumeInUseError';
  }
}
