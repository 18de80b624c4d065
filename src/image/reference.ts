/**
 * Docker image references ("busybox", "localhost:5000/a/b:t", "x@sha256:..."): parsing, normalizing to the
 * fully qualified form (docker.io/library/busybox:latest) and the familiar form users see (busybox:latest).
 * The grammar and error wording follow Docker's reference package so that messages match `docker`.
 */
import { UserError } from '../errors.js';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const NAME_TOTAL_LENGTH_MAX = 255;

export interface ImageReference {
  domain: string; // "docker.io", "localhost:5000"
  path: string; // "library/busybox", "a/b"
  tag?: string; // absent when only a digest was given and no default tag is wanted
  digest?: string; // "sha256:<hex>"
}

// The pieces of Docker's reference grammar.
const alphaNumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const host = `(?:${domainName}|${ipv6})`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const namePattern = `(?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*`;

const REFERENCE = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const TAG = new RegExp(`^${tagPattern}$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

function invalid(detail?: string): UserError {
  return new UserError(detail ? `invalid reference format: ${detail}` : 'invalid reference format');
}

/** Splits "name" into domain and path the way Docker does: a first component is a domain only if it looks like one. */
function splitDomain(name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = name.slice(0, slash);
  const looksLikeDomain = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first);
  let domain = looksLikeDomain ? first : DEFAULT_DOMAIN;
  let path = looksLikeDomain ? name.slice(slash + 1) : name;
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  return { domain, path };
}

/**
 * Parses a user's reference ("busybox", "busybox:1.36", "localhost:5000/a/b@sha256:...") into its normalized
 * parts. Without tag or digest the tag "latest" is implied (Docker's TagNameOnly).
 */
export function parseReference(input: string): ImageReference {
  if (input === '') throw invalid();
  if (IDENTIFIER.test(input)) {
    throw new UserError(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain, path: remainder } = splitDomain(input);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep === -1 ? remainder.split('@')[0]! : remainder.slice(0, tagSep);
  if (remote.toLowerCase() !== remote) {
    throw invalid(`repository name (${remote}) must be lowercase`);
  }
  const match = REFERENCE.exec(`${domain}/${remainder}`);
  if (!match) throw invalid();
  const [, name, tag, digest] = match;
  if (name!.length > NAME_TOTAL_LENGTH_MAX) {
    throw new UserError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  if (digest !== undefined && !digest.startsWith('sha256:')) throw new UserError('unsupported digest algorithm');
  if (digest !== undefined && !SHA256_DIGEST.test(digest)) throw new UserError('invalid checksum digest length');
  const ref: ImageReference = { domain, path: name!.slice(domain.length + 1) };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  if (tag === undefined && digest === undefined) ref.tag = 'latest';
  return ref;
}

/** "docker.io/library/busybox" */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The fully qualified string: "docker.io/library/busybox:latest", "localhost:5000/a@sha256:..." */
export function referenceString(ref: ImageReference): string {
  let s = repositoryName(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** The short name users type: "busybox", "user/app", "localhost:5000/a/b". */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryName(ref);
  const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
  return ref.path.startsWith(OFFICIAL_REPO_PREFIX) && !rest.includes('/') ? rest : ref.path;
}

/** The familiar string shown in RepoTags/RepoDigests and `images`: "busybox:latest", "busybox@sha256:...". */
export function familiarString(ref: ImageReference): string {
  let s = familiarName(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** Normalizes and returns the fully qualified string, or throws the UserError for an invalid reference. */
export function normalizeReference(input: string): string {
  return referenceString(parseReference(input));
}

/** True when the string is a valid tag ("latest", "1.36-musl"). */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}
