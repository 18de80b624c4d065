/**
 * Instructions that only change the image config (no layer): each gives the new container config, which is
 * also what the cache keys them by.
 */
import { UserError } from '../../errors.js';
import { exposedPorts } from '../../image/changes.js';
import type { OciContainerConfig } from '../../image/oci-types.js';
import type { RawInstruction } from '../dockerfile/parse.js';
import { expandWord, expandWords } from '../dockerfile/expand.js';
import { parseHealthcheck, parseKeyValues, shellOrExec } from '../dockerfile/key-values.js';
import type { StageState } from '../stage-state.js';

export const METADATA_KEYWORDS = new Set(['ENV', 'LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'USER', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER']);

export interface MetadataContext {
  file: string;
  escape: '\\' | '`';
  /** CMD came from the base image (ENTRYPOINT then resets it, as Docker does). */
  cmdFromBase: boolean;
}

/** Applies one metadata instruction to the stage's config; returns the history text. */
export function applyMetadata(state: StageState, instr: RawInstruction, ctx: MetadataContext): string {
  const position = { file: ctx.file, line: instr.line };
  const config: OciContainerConfig = state.config;
  switch (instr.keyword) {
    case 'ENV':
      for (const { key, value } of parseKeyValues(instr.args, 'ENV', state.lookup, ctx.escape, position)) state.setEnv(key, value ?? '');
      return `ENV ${instr.args}`;
    case 'LABEL':
      config.Labels = { ...(config.Labels ?? {}) };
      for (const { key, value } of parseKeyValues(instr.args, 'LABEL', state.lookup, ctx.escape, position)) config.Labels[key] = value ?? '';
      return `LABEL ${instr.args}`;
    case 'EXPOSE': {
      const ports = expandWords(instr.args, state.lookup, ctx.escape);
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}), ...exposedPorts(ports.join(' ')) };
      return `EXPOSE map[${Object.keys(config.ExposedPorts).join(' ')}:{}]`;
    }
    case 'CMD':
      config.Cmd = shellOrExec(instr, state.shell());
      return `CMD ${JSON.stringify(config.Cmd)}`;
    case 'ENTRYPOINT':
      config.Entrypoint = shellOrExec(instr, state.shell());
      if (ctx.cmdFromBase) config.Cmd = null;
      return `ENTRYPOINT ${JSON.stringify(config.Entrypoint)}`;
    case 'USER':
      config.User = expandWord(instr.args, state.lookup, ctx.escape);
      return `USER ${config.User}`;
    case 'VOLUME': {
      const paths = instr.json ?? expandWords(instr.args, state.lookup, ctx.escape);
      if (paths.length === 0 || paths.some((p) => p.trim() === '')) throw new UserError('VOLUME specified can not be an empty string', position);
      config.Volumes = { ...(config.Volumes ?? {}) };
      for (const path of paths) config.Volumes[path] = {};
      return `VOLUME ${JSON.stringify(paths)}`;
    }
    case 'STOPSIGNAL':
      config.StopSignal = expandWord(instr.args, state.lookup, ctx.escape);
      return `STOPSIGNAL ${config.StopSignal}`;
    case 'HEALTHCHECK': {
      const health = parseHealthcheck(instr, ctx.file);
      if (health === 'NONE') config.Healthcheck = { Test: ['NONE'] };
      else {
        config.Healthcheck = { Test: health.test };
        if (health.interval !== undefined) config.Healthcheck.Interval = health.interval;
        if (health.timeout !== undefined) config.Healthcheck.Timeout = health.timeout;
        if (health.startPeriod !== undefined) config.Healthcheck.StartPeriod = health.startPeriod;
        if (health.startInterval !== undefined) config.Healthcheck.StartInterval = health.startInterval;
        if (health.retries !== undefined) config.Healthcheck.Retries = health.retries;
      }
      return `HEALTHCHECK ${instr.args}`;
    }
    case 'SHELL':
      if (!instr.json || instr.json.length === 0) throw new UserError('SHELL requires the arguments to be in JSON form', position);
      config.Shell = instr.json;
      return `SHELL ${JSON.stringify(instr.json)}`;
    case 'ONBUILD': {
      const trigger = instr.args.trim();
      const keyword = trigger.split(/\s+/, 1)[0]!.toUpperCase();
      if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(keyword)) throw new UserError(`${keyword} isn't allowed as an ONBUILD trigger`, position);
      config.OnBuild = [...(config.OnBuild ?? []), trigger];
      return `ONBUILD ${trigger}`;
    }
    case 'MAINTAINER':
      return `MAINTAINER ${instr.args}`;
    default:
      throw new UserError(`unknown instruction: ${instr.keyword}`, position);
  }
}
