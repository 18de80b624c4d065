/** Registry failures with Docker's wording, so that scripts matching `docker pull` messages keep working. */
import { UserError } from '../../errors.js';

/** A registry answered with an error (4xx/5xx) or broke a protocol rule; carries the HTTP status for the API. */
export class RegistryError extends UserError {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** 401 with no way to authenticate: wrong or missing credentials. */
export class UnauthorizedError extends RegistryError {
  readonly statusCode = 401;
  constructor(detail = 'authentication required') {
    super(`unauthorized: ${detail}`, 401);
    this.name = 'UnauthorizedError';
  }
}

export function pullAccessDenied(familiarRepo: string): RegistryError {
  return new RegistryError(`pull access denied for ${familiarRepo}, repository does not exist or may require 'docker login'`, 403);
}

export function manifestUnknown(reference: string): RegistryError {
  return new RegistryError(`manifest for ${reference} not found: manifest unknown: manifest unknown`, 404);
}

/** A blob (layer, config, manifest) whose bytes are not those its digest names: nothing of it is kept. */
export function blobRefused(digest: string, why: string): RegistryError {
  return new RegistryError(`failed to verify blob ${digest}: ${why}`);
}

/** The registry's JSON error body (`{"errors":[{"code","message","detail"}]}`), as one line. */
export function describeErrorBody(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    const first = body.errors?.[0];
    if (!first) return undefined;
    return [first.code?.toLowerCase().replace(/_/g, ' '), first.message].filter(Boolean).join(': ');
  } catch {
    return undefined;
  }
}
