/** RUN: the command in a step container; its upper dir becomes the layer. Mounts follow `RUN --mount`. */
import { mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { UserError } from '../../errors.js';
import { sha256Digest, digestHex } from '../../image/digest.js';
import type { RawInstruction } from '../dockerfile/parse.js';
import { parseMountFlag, runScript } from '../dockerfile/key-values.js';
import type { StageState } from '../stage-state.js';
import type { RunSpec } from '../step-container.js';
import type { StepContext } from './step-context.js';
import { PREDEFINED_ARGS } from '../request.js';

export interface PreparedRun {
  spec: RunSpec;
  /** What the cache key holds: never a secret's content. */
  keyMaterial: unknown;
  createdBy: string;
}

export function prepareRun(ctx: StepContext, state: StageState, instr: RawInstruction): PreparedRun {
  const position = { file: ctx.file, line: instr.line };
  const argv = runScript(instr, state.shell());
  const binds: string[] = [];
  const tmpfs: Record<string, string> = {};
  const mountKeys: unknown[] = [];
  let network = ctx.request.network;
  for (const flag of instr.flags) {
    if (flag.name === 'network') {
      const mode = flag.value ?? '';
      if (!['default', 'none', 'host'].includes(mode)) throw new UserError(`unsupported network mode "${mode}" (default, none or host)`, position);
      if (mode !== 'default') network = mode;
      continue;
    }
    if (flag.name !== 'mount') {
      if (flag.name === 'security') continue; // insecure mode would need an entitlement; the default sandbox is what runs
      throw new UserError(`unknown flag: --${flag.name}`, position);
    }
    const mount = parseMountFlag(flag.value ?? '', position);
    const target = mount.target && !mount.target.startsWith('/') ? posix.join(state.workdir(), mount.target) : mount.target;
    switch (mount.type) {
      case 'secret': {
        const id = mount.id ?? (mount.target ? posix.basename(mount.target) : undefined);
        if (!id) throw new UserError('secret mount needs an id or a target', position);
        const file = ctx.secretFiles.get(id);
        if (!file) {
          if (mount.required) throw new UserError(`secret ${id}: not provided to the build (build.secrets)`, position);
          continue;
        }
        binds.push(`${file}:${target ?? `/run/secrets/${id}`}:ro`);
        mountKeys.push({ type: 'secret', id, target });
        break;
      }
      case 'cache': {
        if (!target) throw new UserError('cache mount needs a target', position);
        const id = mount.id ?? target;
        const dir = join(ctx.cacheMountDir, digestHex(sha256Digest(id)).slice(0, 32));
        mkdirSync(dir, { recursive: true, mode: mount.mode ?? 0o755 });
        binds.push(`${dir}:${target}${mount.readonly ? ':ro' : ''}`);
        mountKeys.push({ type: 'cache', id, target });
        break;
      }
      case 'tmpfs':
        if (!target) throw new UserError('tmpfs mount needs a target', position);
        tmpfs[target] = '';
        mountKeys.push({ type: 'tmpfs', target });
        break;
      case 'bind': {
        if (!target) throw new UserError('bind mount needs a target', position);
        if (mount.from) throw new UserError('RUN --mount=type=bind,from= is not supported yet: copy from the stage with COPY --from instead', position);
        const source = join(ctx.request.context, posix.normalize(`/${mount.source ?? ''}`));
        binds.push(`${source}:${target}${mount.readonly === false ? '' : ':ro'}`);
        mountKeys.push({ type: 'bind', source: mount.source ?? '', target });
        break;
      }
      default:
        throw new UserError(`mount type ${mount.type} is not supported`, position);
    }
  }
  const env = state.runEnv();
  const spec: RunSpec = {
    argv,
    env,
    workingDir: state.workdir(),
    user: state.config.User ?? '',
    network,
    binds,
    tmpfs,
    extraHosts: ctx.request.extraHosts,
    ...(ctx.request.shmSize ? { shmSize: ctx.request.shmSize } : {}),
  };
  const createdBy = `RUN ${instr.json ? JSON.stringify(instr.json) : instr.args}${instr.heredocs.map((h) => `\n${h.content}${h.name}`).join('')} # buildkit`;
  // as in Docker, the proxy variables do not count for the cache (the same build behind another proxy is the same)
  const keyEnv = env.filter((entry) => !PREDEFINED_ARGS.includes(entry.split('=', 1)[0]!));
  return { spec, createdBy, keyMaterial: { k: 'RUN', argv, env: keyEnv, workdir: spec.workingDir, user: spec.user, mounts: mountKeys, network } };
}
