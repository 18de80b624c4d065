/** Volume names: Docker's rule for user-given names, and 64-hex names for anonymous volumes. */
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';

const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function isValidVolumeName(name: string): boolean {
  return VALID_NAME.test(name);
}

export function checkVolumeName(name: string): void {
  if (!isValidVolumeName(name)) {
    throw new UserError(`create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
}

export function anonymousVolumeName(): string {
  return randomBytes(32).toString('hex');
}
