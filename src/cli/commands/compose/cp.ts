import { Command } from 'commander';
import { actualContainers, type ActualContainer } from '../../../compose/project/actual.js';
import { UserError } from '../../../errors.js';
import { copyDirection, type CopyDirection } from '../../copy/args.js';
import { destinationOf, runCopy } from '../../copy/run.js';
import type { CliIO } from '../../io.js';
import { composeContext } from './context.js';

interface CpFlags {
  all: boolean;
  index?: string;
  archive: boolean;
  followLink: boolean;
}

/** `cp SERVICE:SRC DEST` / `cp SRC SERVICE:DEST`: to every replica (or `--index`), from replica 1 (or `--index`). */
export function cpCommand(io: CliIO): Command {
  return new Command('cp')
    .description('Copy files/folders between a service container and the local filesystem')
    .argument('<src>', 'SERVICE:SRC_PATH, or a host path, or -')
    .argument('<dest>', 'SERVICE:DEST_PATH, or a host path, or -')
    .option('--all', 'Include containers created by the run command', false)
    .option('--index <n>', 'Index of the container if service has multiple replicas')
    .option('-a, --archive', 'Archive mode (copy all uid/gid information; the default here)', true)
    .option('-L, --follow-link', 'Always follow symbol link in SRC_PATH', false)
    .action(async (src: string, dest: string, flags: CpFlags, cmd: Command) => {
      const direction = copyDirection(src, dest);
      const ctx = await composeContext(io, cmd);
      const targets = pickTargets(await actualContainers(ctx.engine, ctx.project.name), direction, flags);
      for (const container of targets) {
        const detail = `copy ${src} to ${destinationOf(direction, container.name)}`;
        ctx.progress({ kind: 'Container', name: container.name, status: 'Copying', detail });
        await runCopy(ctx.engine.http, direction, container.id, flags, io);
        ctx.progress({ kind: 'Container', name: container.name, status: 'Copied', detail, done: true });
      }
      ctx.finishProgress();
    });
}

/** The service's containers for this copy (one-offs only with --all), as docker compose picks them. */
function pickTargets(containers: ActualContainer[], direction: CopyDirection, flags: CpFlags): ActualContainer[] {
  const service = direction.container;
  const candidates = containers.filter((c) => c.service === service && (flags.all || !c.oneoff));
  if (flags.index !== undefined) {
    const number = Number(flags.index);
    const found = candidates.find((c) => !c.oneoff && c.number === number);
    if (!found) throw new UserError(`service "${service}" is not running container #${number}`);
    return [found];
  }
  if (candidates.length === 0) throw new UserError(`no container found for service "${service}"`);
  // From a service: its first replica; to a service: every replica.
  return direction.to === 'local' ? [candidates[0]!] : candidates;
}
