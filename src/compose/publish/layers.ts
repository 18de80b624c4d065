/**
 * The artifact's layers: each compose file as written, the local files its services extend, and with --with-env
 * the env files. References to extended and env files are renamed to the names those layers carry (a hash of the
 * path, as docker compose does), since a consumer has none of this machine's paths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { sha256Digest } from '../../image/digest.js';
import { isDict, type Dict } from '../types.js';
import { ANNOTATIONS, COMPOSE_MEDIA_TYPES } from './media-types.js';
import { hashedName, localExtendsFile, servicesOf, type SourceFile } from './source-files.js';

export interface Layer {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Record<string, string>;
  bytes: Buffer;
}

export interface LayerOptions {
  withEnv: boolean;
  projectDir: string;
  version: string;
}

type Rewrite = { path: Array<string | number>; value: string };

export function buildLayers(files: SourceFile[], opts: LayerOptions): Layer[] {
  const envFiles = new Map<string, string>(); // absolute path → published name
  const layers = files.map((file) => {
    const rewrites = [...extendsRewrites(file), ...(opts.withEnv ? envFileRewrites(file, opts.projectDir, envFiles) : [])];
    const name = file.extendsName ?? basename(file.path);
    const extra: Record<string, string> = file.extendsName ? { [ANNOTATIONS.extends]: 'true' } : {};
    return layer(COMPOSE_MEDIA_TYPES.file, Buffer.from(rewritten(file.text, rewrites)), { [ANNOTATIONS.file]: name, ...extra }, opts.version);
  });
  for (const [path, name] of envFiles) layers.push(layer(COMPOSE_MEDIA_TYPES.envFile, readFileSync(path), { [ANNOTATIONS.envFile]: name }, opts.version));
  return layers;
}

export function layer(mediaType: string, bytes: Buffer, annotations: Record<string, string>, version: string): Layer {
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length, annotations: { [ANNOTATIONS.version]: version, ...annotations }, bytes };
}

/** The text unchanged when nothing is renamed: the published file is byte for byte the user's. */
function rewritten(text: string, rewrites: Rewrite[]): string {
  if (rewrites.length === 0) return text;
  const doc = parseDocument(text, { merge: true });
  for (const r of rewrites) doc.setIn(r.path, r.value);
  return doc.toString();
}

function extendsRewrites(file: SourceFile): Rewrite[] {
  return servicesOf(file).flatMap(([name, service]) => {
    const parent = localExtendsFile(file, service);
    return parent ? [{ path: ['services', name, 'extends', 'file'], value: hashedName(parent, 'yaml') }] : [];
  });
}

/** env_file in any of its forms (string, list of strings, list of {path}); files that do not exist are left alone. */
function envFileRewrites(file: SourceFile, projectDir: string, names: Map<string, string>): Rewrite[] {
  const base = file.extendsName ? dirname(file.path) : projectDir;
  const rename = (raw: unknown, path: Array<string | number>): Rewrite[] => {
    if (typeof raw !== 'string' || raw === '') return [];
    const absolute = resolve(base, raw);
    if (!existsSync(absolute)) return [];
    const name = names.get(absolute) ?? hashedName(absolute, 'env');
    names.set(absolute, name);
    return [{ path, value: name }];
  };
  return servicesOf(file).flatMap(([service, s]: [string, Dict]) => {
    const at = ['services', service, 'env_file'];
    if (!Array.isArray(s.env_file)) return rename(s.env_file, at);
    return s.env_file.flatMap((entry, i) => (isDict(entry) ? rename(entry.path, [...at, i, 'path']) : rename(entry, [...at, i])));
  });
}
