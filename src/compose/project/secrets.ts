import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create as createTar } from 'tar';
import type { EngineApi } from '../../engine/client/engine-api.js';
import { putContainerArchive } from '../../engine/client/archive-api.js';
import type { MountConfig } from '../../engine/api/docker-types.js';
import { UserError } from '../../errors.js';
import { isDict, type Dict, type VariableLookup } from '../types.js';

type Kind = 'secrets' | 'configs';

/** Where a secret or config lands when its `target` is not given (Compose's defaults). */
function targetOf(kind: Kind, ref: Dict): string {
  const source = String(ref.source);
  const target = typeof ref.target === 'string' ? ref.target : undefined;
  if (kind === 'secrets') return target?.startsWith('/') ? target : `/run/secrets/${target ?? source}`;
  return target ?? `/${source}`;
}

function definitionOf(model: Dict, kind: Kind, name: string): Dict {
  const section = isDict(model[kind]) ? model[kind] : {};
  const def = section[name];
  if (!isDict(def)) throw new UserError(`${kind.slice(0, -1)} "${name}" is not defined in the top-level ${kind} section`);
  return def;
}

const refsOf = (service: Dict, kind: Kind): Dict[] => (Array.isArray(service[kind]) ? service[kind].filter(isDict) : []);

/** File-based secrets and configs: read-only binds of the file at the target (no copy, as Compose does locally). */
export function fileMounts(model: Dict, service: Dict): MountConfig[] {
  return (['secrets', 'configs'] as const).flatMap((kind) =>
    refsOf(service, kind).flatMap((ref) => {
      const def = definitionOf(model, kind, String(ref.source));
      return typeof def.file === 'string' ? [{ Type: 'bind' as const, Source: def.file, Target: targetOf(kind, ref), ReadOnly: true }] : [];
    }),
  );
}

/**
 * Secrets and configs from `environment` or `content`: written into the created container (as a tar at `/`),
 * with the ref's uid, gid and mode, before it starts; nothing of them is left on the host.
 */
export async function injectContents(engine: EngineApi, containerId: string, model: Dict, service: Dict, lookup: VariableLookup, includedContents: Record<string, string> = {}): Promise<void> {
  const files = (['secrets', 'configs'] as const).flatMap((kind) =>
    refsOf(service, kind).flatMap((ref) => {
      const def = definitionOf(model, kind, String(ref.source));
      const fromEnvironment = (variable: string): string | undefined => includedContents[`${kind}/${String(ref.source)}`] ?? lookup(variable);
      const content = typeof def.content === 'string' ? def.content : typeof def.environment === 'string' ? fromEnvironment(def.environment) : undefined;
      if (content === undefined) {
        if (typeof def.environment === 'string') throw new UserError(`environment variable ${def.environment} (${kind.slice(0, -1)} "${String(ref.source)}") is not set`);
        return [];
      }
      return [{ path: targetOf(kind, ref), content, mode: ref.mode === undefined ? 0o444 : Number(ref.mode), uid: Number(ref.uid ?? 0), gid: Number(ref.gid ?? 0) }];
    }),
  );
  if (files.length === 0) return;
  const staging = mkdtempSync(join(tmpdir(), 'tscompose-secrets-'));
  try {
    for (const f of files) {
      const at = join(staging, f.path);
      mkdirSync(dirname(at), { recursive: true });
      writeFileSync(at, f.content, { mode: f.mode });
      chownSync(at, f.uid, f.gid);
    }
    const tops = [...new Set(files.map((f) => f.path.split('/').filter(Boolean)[0]!))];
    await putContainerArchive(engine.http, containerId, '/', createTar({ cwd: staging, portable: false }, tops) as unknown as import('node:stream').Readable);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
