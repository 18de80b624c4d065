/** Platforms ("linux/arm64/v8") and picking an image index's entry for one, with Docker's variant defaults. */
import { UserError } from '../../errors.js';
import { hostArchitecture, type OciDescriptor } from '../oci-types.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** Variants implied when none is given (Docker's platforms normalization). */
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', arm: 'v7' };
const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm' };

/** "linux/arm64", "linux/arm/v7", "arm64" (OS linux implied). */
export function parsePlatform(text: string): Platform {
  const parts = text.toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) throw new UserError(`"${text}": unknown operating system or architecture: invalid argument`);
  const [os, architecture, variant] = parts.length === 1 ? ['linux', parts[0]!, undefined] : [parts[0]!, parts[1]!, parts[2]];
  return normalize({ os, architecture, ...(variant ? { variant } : {}) });
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

export function defaultPlatform(): Platform {
  return normalize({ os: 'linux', architecture: hostArchitecture() });
}

function normalize(p: Platform): Platform {
  const architecture = ARCH_ALIASES[p.architecture] ?? p.architecture;
  const variant = p.variant ?? DEFAULT_VARIANT[architecture];
  return { os: p.os, architecture, ...(variant ? { variant } : {}) };
}

/** True when an image (or index entry) for `candidate` runs as `wanted`. */
export function platformMatches(wanted: Platform, candidate: Platform): boolean {
  const a = normalize(wanted);
  const b = normalize(candidate);
  return a.os === b.os && a.architecture === b.architecture && (a.variant === undefined || b.variant === undefined || a.variant === b.variant);
}

/** The index entry for the platform: exact variant first, then one without a variant. */
export function selectManifest(entries: OciDescriptor[], wanted: Platform): OciDescriptor {
  const candidates = entries.filter((e) => e.platform && platformMatches(wanted, e.platform));
  const exact = candidates.find((e) => normalize(e.platform!).variant === normalize(wanted).variant);
  const chosen = exact ?? candidates[0];
  if (!chosen) throw new UserError(`no matching manifest for ${formatPlatform(wanted)} in the manifest list entries`);
  return chosen;
}
