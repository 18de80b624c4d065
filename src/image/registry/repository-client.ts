/**
 * The distribution API of one repository (e.g. 127.0.0.1:5000/app): ping, manifests by tag or digest,
 * blobs (HEAD, GET, uploads: monolithic PUT, chunked PATCH, cross-repository mount), manifest PUT.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { sha256Digest } from '../digest.js';
import { parseReference, repositoryName, type ImageReference } from '../reference.js';
import type { AuthConfig } from './credentials.js';
import { endpointFor } from './endpoint.js';
import { blobRefused, manifestUnknown, RegistryError, UnauthorizedError } from './errors.js';
import { MANIFEST_ACCEPT, parseManifest, type FetchedManifest } from './manifest.js';
import { readBytes, RegistryTransport } from './transport.js';

export interface RepositoryClientOptions {
  auth?: AuthConfig;
  env?: NodeJS.ProcessEnv;
  /** "pull", or "pull,push" for a push. */
  actions?: string;
  /** Other repositories of the registry we may mount blobs from (their pull scope is asked for too). */
  mountSources?: string[];
}

export interface UploadOptions {
  /** Blobs larger than this go up in PATCH chunks of this size; smaller ones in one PUT. */
  chunkSize?: number;
  /** Another repository of the same registry that holds the blob (tried as a mount first). */
  mountFrom?: string;
  onBytes?: (sent: number) => void;
}

/** How a blob reached the registry. */
export type UploadOutcome = 'exists' | 'mounted' | 'pushed';

export const DEFAULT_CHUNK_SIZE = 32 * 1024 * 1024;
const MANIFEST_LIMIT = 4 * 1024 * 1024;

export class RepositoryClient {
  readonly transport: RegistryTransport;
  readonly ref: ImageReference;

  constructor(reference: string | ImageReference, opts: RepositoryClientOptions = {}) {
    this.ref = typeof reference === 'string' ? parseReference(reference) : reference;
    const scopes = [`repository:${this.ref.path}:${opts.actions ?? 'pull'}`, ...(opts.mountSources ?? []).map((path) => `repository:${path}:pull`)];
    this.transport = new RegistryTransport(endpointFor(this.ref.domain, opts.env), opts.auth, scopes);
  }

  private get base(): string {
    return `/v2/${this.ref.path}`;
  }

  /** GET /v2/: checks the registry speaks distribution v2 and that the credentials are accepted. */
  async ping(): Promise<void> {
    const res = await this.transport.send({ method: 'GET', url: '/v2/' });
    if (res.statusCode === 200) return void res.resume();
    if (res.statusCode === 401) {
      res.resume();
      throw new UnauthorizedError(this.transport.credentials ? 'incorrect username or password' : 'authentication required');
    }
    throw await this.transport.failure(res, `GET ${this.transport.endpoint.baseUrl}/v2/`);
  }

  /** A manifest or index by tag or digest; bytes checked against the digest when one was asked for. */
  async getManifest(reference: string): Promise<FetchedManifest> {
    const res = await this.transport.send({ method: 'GET', url: `${this.base}/manifests/${reference}`, headers: { Accept: MANIFEST_ACCEPT } });
    if (res.statusCode === 404) {
      res.resume();
      throw manifestUnknown(`${repositoryName(this.ref).replace(/^docker\.io\//, '')}:${reference}`);
    }
    if (res.statusCode !== 200) throw await this.accessError(res, `GET manifest ${reference}`);
    const bytes = await readBytes(res, MANIFEST_LIMIT);
    const manifest = parseManifest(bytes, res.headers['content-type']);
    if (reference.startsWith('sha256:') && manifest.digest !== reference) {
      throw blobRefused(reference, `manifest digest is ${manifest.digest}`);
    }
    return manifest;
  }

  /** The digest a tag points at (HEAD, no body), when the registry tells it; lets a pull reuse a stored manifest. */
  async headManifest(reference: string): Promise<string | undefined> {
    const res = await this.transport.send({ method: 'HEAD', url: `${this.base}/manifests/${reference}`, headers: { Accept: MANIFEST_ACCEPT } });
    res.resume();
    const digest = res.headers['docker-content-digest'];
    return res.statusCode === 200 && typeof digest === 'string' ? digest : undefined;
  }

  /** 401/403/404 of a pull are all "access denied" to the user (the registry does not tell them apart). */
  private async accessError(res: IncomingMessage, what: string): Promise<RegistryError> {
    const error = await this.transport.failure(res, what);
    if ((res.statusCode === 401 || res.statusCode === 403) && !this.transport.credentials) {
      const familiar = this.ref.domain === 'docker.io' ? this.ref.path.replace(/^library\//, '') : repositoryName(this.ref);
      return new RegistryError(`pull access denied for ${familiar}, repository does not exist or may require 'docker login'`, 403);
    }
    return error;
  }

  async blobExists(digest: string): Promise<boolean> {
    const res = await this.transport.send({ method: 'HEAD', url: `${this.base}/blobs/${digest}` });
    res.resume();
    if (res.statusCode === 200) return true;
    if (res.statusCode === 404) return false;
    throw await this.transport.failure(res, `HEAD blob ${digest}`);
  }

  /** The blob's bytes as a stream (not verified here: the content store checks digest and size). */
  async openBlob(digest: string): Promise<IncomingMessage> {
    const res = await this.transport.send({ method: 'GET', url: `${this.base}/blobs/${digest}` });
    if (res.statusCode === 200) return res;
    throw await this.accessError(res, `GET blob ${digest}`);
  }

  /** A small blob (config) in memory, verified. */
  async fetchBlob(digest: string, size?: number): Promise<Buffer> {
    const bytes = await readBytes(await this.openBlob(digest), Math.max(size ?? 0, MANIFEST_LIMIT));
    return verifyBytes(bytes, digest, size);
  }

  /**
   * Puts a blob into the repository unless it is there: HEAD, then a mount from `mountFrom`, then an upload
   * (one PUT, or PATCH chunks for big blobs) closed by PUT ?digest=.
   */
  async uploadBlob(source: () => Buffer | Readable, blob: { digest: string; size: number }, opts: UploadOptions = {}): Promise<UploadOutcome> {
    if (await this.blobExists(blob.digest)) return 'exists';
    let location: string;
    if (opts.mountFrom && opts.mountFrom !== this.ref.path) {
      const query = new URLSearchParams({ mount: blob.digest, from: opts.mountFrom });
      const res = await this.transport.send({ method: 'POST', url: `${this.base}/blobs/uploads/?${query}`, retry: true });
      res.resume();
      if (res.statusCode === 201) return 'mounted';
      if (res.statusCode !== 202) throw await this.transport.failure(res, `mount blob ${blob.digest}`);
      location = uploadLocation(res);
    } else {
      location = await this.startUpload();
    }
    const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (blob.size <= chunkSize) await this.putMonolithic(location, source, blob, opts);
    else await this.putChunked(location, source, blob, chunkSize, opts);
    return 'pushed';
  }

  private async startUpload(): Promise<string> {
    const res = await this.transport.send({ method: 'POST', url: `${this.base}/blobs/uploads/`, retry: true });
    if (res.statusCode !== 202) throw await this.transport.failure(res, 'start blob upload');
    res.resume();
    return uploadLocation(res);
  }

  private async putMonolithic(location: string, source: () => Buffer | Readable, blob: { digest: string; size: number }, opts: UploadOptions): Promise<void> {
    const res = await this.transport.send({
      method: 'PUT',
      url: withDigest(location, blob.digest),
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size) },
      body: () => counting(source(), opts.onBytes, 0),
      retry: false, // a retried PUT to a consumed upload session fails anyway
    });
    if (res.statusCode !== 201) throw await this.transport.failure(res, `upload blob ${blob.digest}`);
    res.resume();
  }

  /** PATCH chunk by chunk (Content-Range "start-end", inclusive), each to the Location the last answer gave. */
  private async putChunked(location: string, source: () => Buffer | Readable, blob: { digest: string; size: number }, chunkSize: number, opts: UploadOptions): Promise<void> {
    let url = location;
    let offset = 0;
    const input = source();
    for await (const chunk of rechunk(toStream(input), chunkSize)) {
      const res = await this.transport.send({
        method: 'PATCH',
        url,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(chunk.length), 'Content-Range': `${offset}-${offset + chunk.length - 1}` },
        body: () => chunk,
        retry: false,
      });
      if (res.statusCode !== 202) throw await this.transport.failure(res, `upload blob ${blob.digest} (chunk at ${offset})`);
      res.resume();
      url = uploadLocation(res);
      offset += chunk.length;
      opts.onBytes?.(offset);
    }
    const res = await this.transport.send({ method: 'PUT', url: withDigest(url, blob.digest), retry: false });
    if (res.statusCode !== 201) throw await this.transport.failure(res, `finish upload of blob ${blob.digest}`);
    res.resume();
  }

  /** PUT /v2/<name>/manifests/<tag or digest>; returns the digest (ours, checked against the registry's). */
  async putManifest(reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const digest = sha256Digest(bytes);
    const res = await this.transport.send({ method: 'PUT', url: `${this.base}/manifests/${reference}`, headers: { 'Content-Type': mediaType }, body: () => bytes });
    if (res.statusCode !== 201) throw await this.transport.failure(res, `put manifest ${reference}`);
    res.resume();
    const told = res.headers['docker-content-digest'];
    if (typeof told === 'string' && told !== digest) throw new RegistryError(`registry stored manifest as ${told}, expected ${digest}`);
    return digest;
  }
}

function verifyBytes(bytes: Buffer, digest: string, size: number | undefined): Buffer {
  if (size !== undefined && bytes.length !== size) throw blobRefused(digest, `size is ${bytes.length} bytes, expected ${size}`);
  const actual = sha256Digest(bytes);
  if (actual !== digest) throw blobRefused(digest, `digest is ${actual}`);
  return bytes;
}

function uploadLocation(res: IncomingMessage): string {
  const location = res.headers.location;
  if (!location) throw new RegistryError('registry started an upload without a Location');
  return location;
}

function withDigest(location: string, digest: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

function toStream(input: Buffer | Readable): Readable {
  return Buffer.isBuffer(input) ? Readable.from([input]) : input;
}

function counting(input: Buffer | Readable, onBytes: ((n: number) => void) | undefined, start: number): Buffer | Readable {
  if (!onBytes || Buffer.isBuffer(input)) {
    if (Buffer.isBuffer(input)) onBytes?.(start + input.length);
    return input;
  }
  let sent = start;
  input.on('data', (chunk: Buffer) => onBytes((sent += chunk.length)));
  return input;
}

/** Regroups a byte stream into pieces of exactly `size` bytes (the last one shorter). */
async function* rechunk(input: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingSize = 0;
  for await (const chunk of input) {
    pending.push(chunk);
    pendingSize += chunk.length;
    while (pendingSize >= size) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      pendingSize = all.length - size;
    }
  }
  if (pendingSize > 0) yield Buffer.concat(pending);
}
