/**
 * The YAML files an artifact carries: the project's compose files, then the local files their services extend
 * (recursively). Read raw, before interpolation: what is published is the text, not the resolved model.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { STDIN_FILE } from '../discovery.js';
import { parseComposeText } from '../parse.js';
import { isDict, type Dict } from '../types.js';

export interface SourceFile {
  path: string; // absolute
  text: string;
  data: Dict; // parsed, not interpolated
  /** Set for an extends parent: the name it is published under (docker compose's sha256-of-path form). */
  extendsName?: string;
}

/** A name that loaders do not fetch from disk (oci://, git, http). */
export function isRemoteResource(path: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith('git@');
}

export function hashedName(path: string, extension: string): string {
  return `${createHash('sha256').update(path).digest('hex')}.${extension}`;
}

export function readSourceFiles(configFiles: string[]): SourceFile[] {
  const files = configFiles.map((path) => readSource(path));
  const seen = new Set(files.map((f) => f.path));
  for (let i = 0; i < files.length; i++) {
    for (const parent of localExtendsFiles(files[i]!)) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      files.push({ ...readSource(parent), extendsName: hashedName(parent, 'yaml') });
    }
  }
  return files;
}

function readSource(path: string): SourceFile {
  if (path === STDIN_FILE) throw new UserError('cannot publish a compose file read from standard input');
  const text = readFileSync(path, 'utf8');
  return { path, text, data: parseComposeText(text, path).data };
}

export function servicesOf(file: SourceFile): Array<[string, Dict]> {
  const services = file.data.services;
  return isDict(services) ? Object.entries(services).filter((e): e is [string, Dict] => isDict(e[1])) : [];
}

/** The `extends.file` of a service, absolute, when it names a file on this machine. */
export function localExtendsFile(file: SourceFile, service: Dict): string | undefined {
  const ext = service.extends;
  const target = isDict(ext) ? ext.file : undefined;
  if (typeof target !== 'string' || target === '' || isRemoteResource(target)) return undefined;
  const path = resolve(dirname(file.path), target);
  return existsSync(path) ? path : undefined;
}

function localExtendsFiles(file: SourceFile): string[] {
  return servicesOf(file).flatMap(([, service]) => localExtendsFile(file, service) ?? []);
}
