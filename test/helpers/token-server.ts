/**
 * A registry token server for tests (the distribution token spec): a self-signed certificate made with openssl,
 * the registry trusts it (auth.token.rootcertbundle); GET /token answers JWTs (RS256, the certificate in x5c)
 * granting the asked scopes to the one user with the right password, nothing to anyone else.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegistryAuth } from './registry.js';

export interface TokenServer {
  realm: string;
  auth: RegistryAuth; // what startRegistry needs to trust this server
  requests: string[]; // the URLs asked for (tests check scopes)
  stop(): Promise<void>;
}

const SERVICE = 'tscompose-test-registry';
const ISSUER = 'tscompose-test-token-server';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * Starts the server in a child process: tests drive the CLI with spawnSync, which blocks this process's event
 * loop, so a server living here could not answer the engine's token requests.
 */
export async function startTokenServer(user: { username: string; password: string }): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-token-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const log = join(dir, 'requests.log');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=tscompose-test-token'], { stdio: 'ignore' });
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), dir, user.username, user.password], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`token server exited ${code}`)));
  });
  const realm = `http://127.0.0.1:${port}/token`;
  return {
    realm,
    get requests() {
      return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    },
    auth: { token: { realm, service: SERVICE, issuer: ISSUER, rootCertBundle: certPath } },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The child's side: serves /token on a free port, prints the port, logs each URL asked for. */
function serve(dir: string, user: { username: string; password: string }): void {
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const certDer = new X509Certificate(readFileSync(join(dir, 'cert.pem'))).raw;
  const server: Server = createServer((req, res) => {
    appendFileSync(join(dir, 'requests.log'), `${req.url ?? ''}\n`);
    const url = new URL(req.url ?? '/', 'http://x');
    const granted = authorized(req.headers.authorization, user);
    if (req.headers.authorization && !granted) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
    }
    const access = granted ? url.searchParams.getAll('scope').map(parseScope).filter((s) => s !== undefined) : [];
    const token = signJwt(key, certDer, { iss: ISSUER, sub: granted ? user.username : '', aud: url.searchParams.get('service') ?? '', access });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

function authorized(header: string | undefined, user: { username: string; password: string }): boolean {
  if (!header?.startsWith('Basic ')) return false;
  return Buffer.from(header.slice(6), 'base64').toString() === `${user.username}:${user.password}`;
}

/** "repository:a/b:pull,push" → the access claim entry. */
function parseScope(scope: string): { type: string; name: string; actions: string[] } | undefined {
  const parts = scope.split(':');
  if (parts.length < 3) return undefined;
  return { type: parts[0]!, name: parts.slice(1, -1).join(':'), actions: parts[parts.length - 1]!.split(',') };
}

function signJwt(key: string, certDer: Buffer, claims: { iss: string; sub: string; aud: string; access: unknown[] }): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
  const payload = { ...claims, iat: now, nbf: now - 10, exp: now + 300, jti: randomBytes(8).toString('hex') };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
  return `${signingInput}.${b64url(signature)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, username, password] = process.argv.slice(2);
  serve(dir!, { username: username!, password: password! });
}
