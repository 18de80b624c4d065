/** `cp` operands, as docker cp reads them: `NAME:PATH` is in a container, a path starting `/` or `.` or `-` is local. */
import { UserError } from '../../errors.js';

export type CopyOperand = { kind: 'container'; container: string; path: string } | { kind: 'local'; path: string };

export type CopyDirection =
  | { to: 'local'; container: string; src: string; dst: string }
  | { to: 'container'; container: string; src: string; dst: string };

export function parseOperand(arg: string): CopyOperand {
  if (arg === '-' || arg.startsWith('/') || arg.startsWith('.')) return { kind: 'local', path: arg };
  const colon = arg.indexOf(':');
  if (colon <= 0) return { kind: 'local', path: arg };
  return { kind: 'container', container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/** Exactly one side in a container (the other on the host, or `-` for a tar on stdin/stdout). */
export function copyDirection(srcArg: string, dstArg: string): CopyDirection {
  const src = parseOperand(srcArg);
  const dst = parseOperand(dstArg);
  if (src.kind === 'container' && dst.kind === 'container') throw new UserError('copying between containers is not supported');
  if (src.kind === 'container') return { to: 'local', container: src.container, src: src.path || '/', dst: dst.path };
  if (dst.kind === 'container') return { to: 'container', container: dst.container, src: src.path, dst: dst.path || '/' };
  throw new UserError('must specify at least one container source');
}
