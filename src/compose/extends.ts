import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { mergeService } from './merge/index.js';
import { resolveRelativePaths } from './normalize/resolve-paths.js';
import { isDict, type Dict } from './types.js';

/** Loads another compose file up to (and including) canonicalization, with its own `extends` not yet applied. */
export type RawFileLoader = (file: string) => Dict;

export interface ExtendsContext {
  loadRaw: RawFileLoader;
  homeDir: string;
}

/** A chain of `service@file` already being extended, to name a cycle instead of recursing forever. */
type Chain = readonly string[];

/** Replaces every service's `extends` with the merge of its base service and itself. */
export function applyExtends(model: Dict, file: string, ctx: ExtendsContext): Dict {
  const services = model.services;
  if (!isDict(services)) return model;
  const resolved: Dict = {};
  for (const name of Object.keys(services)) resolved[name] = extendService(name, services, file, ctx, []);
  return { ...model, services: resolved };
}

function extendService(name: string, services: Dict, file: string, ctx: ExtendsContext, chain: Chain): unknown {
  const service = services[name];
  if (!isDict(service) || service.extends === undefined) return service;
  const link = `${name} (${file})`;
  if (chain.includes(link)) {
    throw new UserError(`circular reference in extends: ${[...chain, link].join(' -> ')}`, { file });
  }
  const { ref, otherFile } = extendsTarget(service.extends, name, file);
  const baseFile = otherFile ?? file;
  const baseServices = otherFile ? servicesOf(ctx.loadRaw(otherFile), name, ref, file, otherFile) : services;
  if (!(ref in baseServices)) {
    throw new UserError(`cannot extend service "${name}" in ${file}: service "${ref}" not found in ${baseFile}`, { file });
  }
  let base = extendService(ref, baseServices, baseFile, ctx, [...chain, link]);
  if (!isDict(base)) base = {};
  if (otherFile) base = rebasePaths(base as Dict, dirname(otherFile), ctx.homeDir);
  const { extends: _ignored, ...own } = service;
  return mergeService(base as Dict, own);
}

function extendsTarget(value: unknown, name: string, file: string): { ref: string; otherFile: string | undefined } {
  if (typeof value === 'string') return { ref: value, otherFile: undefined };
  if (!isDict(value) || typeof value.service !== 'string') {
    throw new UserError(`services.${name}.extends.service is required`, { file });
  }
  const otherFile = typeof value.file === 'string' ? resolve(dirname(file), value.file) : undefined;
  return { ref: value.service, otherFile: otherFile === file ? undefined : otherFile };
}

function servicesOf(model: Dict, name: string, ref: string, file: string, otherFile: string): Dict {
  if (!isDict(model.services)) {
    throw new UserError(`cannot extend service "${name}" in ${file}: no services section in ${otherFile}`, { file });
  }
  return model.services;
}

/** Paths in a service taken from another file are relative to that file's folder, not ours. */
function rebasePaths(service: Dict, dir: string, homeDir: string): Dict {
  const wrapped = resolveRelativePaths({ services: { x: service } }, dir, homeDir);
  return (wrapped.services as Dict).x as Dict;
}
