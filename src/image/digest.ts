/** sha256 digests in OCI form ("sha256:<64 hex>") and the chain IDs that name layer snapshots. */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** Throws a UserError unless `value` is a sha256 digest; returns it for chaining. */
export function checkDigest(value: string): string {
  if (!isDigest(value)) throw new UserError(`invalid digest: ${JSON.stringify(value)} (expected sha256:<64 hex digits>)`);
  return value;
}

export function sha256Digest(data: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** "sha256:abcd..." → "abcd..." */
export function digestHex(digest: string): string {
  return checkDigest(digest).slice('sha256:'.length);
}

/**
 * The OCI chain ID of each layer: chain(0) = diff_id(0), chain(n) = sha256(chain(n-1) + " " + diff_id(n)).
 * A snapshot is named by its chain ID because its content depends on every layer below it.
 */
export function chainIds(diffIds: string[]): string[] {
  const chains: string[] = [];
  for (const diffId of diffIds) {
    const parent = chains[chains.length - 1];
    chains.push(parent === undefined ? diffId : sha256Digest(`${parent} ${diffId}`));
  }
  return chains;
}
