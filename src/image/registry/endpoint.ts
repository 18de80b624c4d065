/**
 * Where a registry is reached: Docker Hub's "docker.io" is served by registry-1.docker.io; HTTPS always,
 * except for loopback registries and those the user lists in TSCOMPOSE_INSECURE_REGISTRIES (as Docker's
 * "insecure-registries", plain HTTP then).
 */
import { DEFAULT_DOMAIN } from '../reference.js';
import { UserError } from '../../errors.js';

export interface RegistryEndpoint {
  domain: string; // as in the reference: "docker.io", "127.0.0.1:5000"
  baseUrl: string; // "https://registry-1.docker.io", "http://127.0.0.1:5000"
}

const DOCKER_HUB_HOST = 'registry-1.docker.io';
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/** Hosts (with or without port) from the comma/space separated TSCOMPOSE_INSECURE_REGISTRIES. */
function insecureRegistries(env: NodeJS.ProcessEnv): string[] {
  return (env.TSCOMPOSE_INSECURE_REGISTRIES ?? '').split(/[,\s]+/).filter(Boolean);
}

export function isInsecure(domain: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (LOOPBACK.test(domain)) return true;
  const host = domain.replace(/:\d+$/, '');
  return insecureRegistries(env).some((entry) => entry === domain || entry === host);
}

/**
 * TSCOMPOSE_REGISTRY_ALLOW (comma separated hosts, `loopback` for every loopback registry): when set, any other
 * registry is refused before a name is resolved or a connection made (test engines and offline machines).
 */
function checkAllowed(domain: string, env: NodeJS.ProcessEnv): void {
  const allow = env.TSCOMPOSE_REGISTRY_ALLOW;
  if (allow === undefined || allow === '') return;
  const entries = allow.split(/[,\s]+/).filter(Boolean);
  const host = domain.replace(/:\d+$/, '');
  if (entries.includes(domain) || entries.includes(host) || (entries.includes('loopback') && LOOPBACK.test(domain))) return;
  throw new UserError(`registry ${domain === DEFAULT_DOMAIN ? DOCKER_HUB_HOST : domain} is not allowed here (TSCOMPOSE_REGISTRY_ALLOW=${allow}): nothing was contacted`);
}

export function endpointFor(domain: string, env: NodeJS.ProcessEnv = process.env): RegistryEndpoint {
  checkAllowed(domain, env);
  if (domain === DEFAULT_DOMAIN) return { domain, baseUrl: `https://${DOCKER_HUB_HOST}` };
  return { domain, baseUrl: `${isInsecure(domain, env) ? 'http' : 'https'}://${domain}` };
}
