import { Command, Option } from 'commander';
import { actualContainers } from '../../../compose/project/actual.js';
import { removeNetworks, removeVolumes } from '../../../compose/project/resources.js';
import type { CliIO } from '../../io.js';
import { composeContext, type ComposeContext } from './context.js';
import { stopProject } from './stop-project.js';

/** `down`: stop (reverse dependency order) and remove containers, then networks; volumes with -v; images with --rmi. */
export function downCommand(io: CliIO): Command {
  return new Command('down')
    .description('Stop and remove containers, networks')
    .argument('[services...]')
    .option('-v, --volumes', 'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers', false)
    .addOption(new Option('--rmi <type>', 'Remove images used by services ("local"|"all")').choices(['local', 'all']))
    .option('--remove-orphans', 'Remove containers for services not defined in the Compose file', false)
    .option('-t, --timeout <seconds>', 'Specify a shutdown timeout in seconds')
    .action(async (services: string[], flags: { volumes: boolean; rmi?: string; removeOrphans: boolean; timeout?: string }, command: Command) => {
      const ctx = await composeContext(io, command, [], { allowNoFiles: true });
      try {
        await downProject(ctx, { services, volumes: flags.volumes, rmi: flags.rmi, removeOrphans: flags.removeOrphans, timeout: flags.timeout === undefined ? undefined : Number(flags.timeout) });
      } finally {
        ctx.finishProgress();
      }
    });
}

export interface DownOptions {
  services: string[];
  volumes: boolean;
  rmi?: string | undefined;
  removeOrphans: boolean;
  timeout?: number | undefined;
}

/** What `down` does (also `wait --down-project`): stop in reverse order, remove, then networks and volumes. */
export async function downProject(ctx: ComposeContext, opts: DownOptions): Promise<void> {
  const all = await actualContainers(ctx.engine, ctx.project.name);
  // without a compose file, the project is what its containers' labels say
  const known = ctx.project.fromLabels ? [...new Set(all.map((c) => c.service))] : Object.keys((ctx.project.model.services ?? {}) as object);
  const selected = opts.services.length > 0 ? opts.services : [...new Set([...known, ...all.map((c) => c.service)])];
  if (!ctx.project.fromLabels) await stopProject(ctx, selected.filter((s) => known.includes(s)), opts.timeout); // (else stopped one by one below)
  const doomed = all.filter((c) => selected.includes(c.service) && (known.includes(c.service) || opts.removeOrphans || c.oneoff));
  await Promise.all(
    doomed.map(async (c) => {
      ctx.progress({ kind: 'Container', name: c.name, status: 'Removing' });
      if (c.state === 'running' || c.state === 'paused' || c.state === 'restarting') await ctx.engine.stopContainer(c.id, opts.timeout);
      await ctx.engine.removeContainer(c.id, { force: true, volumes: opts.volumes });
      ctx.progress({ kind: 'Container', name: c.name, status: 'Removed', done: true });
    }),
  );
  const orphans = all.filter((c) => !known.includes(c.service) && !c.oneoff && !opts.removeOrphans);
  if (orphans.length) ctx.warn(`Found orphan containers ([${orphans.map((o) => o.name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
  if (opts.services.length === 0 && orphans.length === 0) await removeNetworks(ctx.engine, ctx.project.name, ctx.progress);
  if (opts.volumes && opts.services.length === 0) await removeVolumes(ctx.engine, ctx.project.name, ctx.progress);
  if (opts.rmi) await removeImages(ctx, opts.rmi);
}

/** `--rmi local`: images without a custom tag (the `project-service` ones compose builds); `all`: every service image. */
async function removeImages(ctx: ComposeContext, which: string): Promise<void> {
  const services = Object.entries((ctx.project.model.services ?? {}) as Record<string, { image?: string }>);
  const images = services.filter(([, s]) => which === 'all' || !s.image).map(([name, s]) => s.image ?? `${ctx.project.name}-${name}`);
  for (const image of [...new Set(images)]) {
    ctx.progress({ kind: 'Image', name: image, status: 'Removing' });
    await ctx.engine.removeImage(image, false).then(
      () => ctx.progress({ kind: 'Image', name: image, status: 'Removed', done: true }),
      (e: unknown) => ctx.progress({ kind: 'Image', name: image, status: (e as Error).message, done: true, error: true }),
    );
  }
}
