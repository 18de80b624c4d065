/** `docker login`'s check: GET /v2/ with the credentials, answering the registry's challenge (basic or token). */
import type { AuthConfig } from './credentials.js';
import { endpointFor } from './endpoint.js';
import { RegistryError, UnauthorizedError } from './errors.js';
import { RegistryTransport } from './transport.js';
import { DEFAULT_DOMAIN } from '../reference.js';

/** "https://index.docker.io/v1/", "127.0.0.1:5000", "http://localhost:5000/" → the reference domain. */
export function domainOfServer(server: string | undefined): string {
  const host = (server ?? '').replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  if (host === '' || host === 'index.docker.io' || host === 'registry-1.docker.io' || host === DEFAULT_DOMAIN) return DEFAULT_DOMAIN;
  return host;
}

/** Resolves when the registry accepts the credentials; UnauthorizedError when it does not. */
export async function checkLogin(auth: AuthConfig, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const transport = new RegistryTransport(endpointFor(domainOfServer(auth.serveraddress), env), auth, []);
  const res = await transport.send({ method: 'GET', url: '/v2/' });
  res.resume();
  if (res.statusCode === 200) return;
  if (res.statusCode === 401) throw new UnauthorizedError(auth.username ? 'incorrect username or password' : 'authentication required');
  throw new RegistryError(`login attempt to ${transport.endpoint.baseUrl}/v2/ failed with status: ${res.statusCode} ${res.statusMessage ?? ''}`.trim(), res.statusCode);
}
