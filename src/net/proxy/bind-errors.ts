// Turning a failed bind of a published port into the message Docker prints for it.
import { isIPv6 } from 'node:net';
import { InternalError, UserError } from '../../errors.js';

/** "0.0.0.0:8080" / "[::1]:8080"; the empty host means all IPv4 addresses, as Docker prints it. */
export function hostAddress(hostIp: string, hostPort: number): string {
  const ip = hostIp === '' ? '0.0.0.0' : hostIp;
  return isIPv6(ip) ? `[${ip}]:${hostPort}` : `${ip}:${hostPort}`;
}

const REASONS: Record<string, string> = {
  EADDRINUSE: 'port is already allocated',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
};

/** A port taken, privileged or on an address this host does not have is the user's to fix; anything else is ours. */
export function bindError(hostIp: string, hostPort: number, cause: unknown): UserError | InternalError {
  const code = (cause as NodeJS.ErrnoException).code ?? '';
  const reason = REASONS[code];
  const where = hostAddress(hostIp, hostPort);
  return reason !== undefined ? new UserError(`Bind for ${where} failed: ${reason}`) : new InternalError(`Bind for ${where} failed: ${String(cause)}`, { cause });
}
