/** Typed image-store errors carrying the HTTP status the Docker API gives them. */
import { UserError } from '../errors.js';

export class NoSuchImageError extends UserError {
  readonly statusCode = 404;
  constructor(readonly reference: string) {
    super(`No such image: ${reference}`);
    this.name = 'NoSuchImageError';
  }
}

/** Docker's "conflict: unable to delete ..." (409): in use, or referenced by several repositories. */
export class ImageConflictError extends UserError {
  readonly statusCode = 409;
  constructor(message: string) {
    super(message);
    this.name = 'ImageConflictError';
  }
}
