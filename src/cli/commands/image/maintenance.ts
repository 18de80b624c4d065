/** `image prune`, `image history`. */
import { Command } from 'commander';
import { imageHistory, pruneImages } from '../../../engine/client/image-transfer.js';
import { humanDuration } from '../../../engine/containers/views.js';
import { humanSize } from '../../../util/units.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';
import { renderTable } from '../../table.js';

export function addMaintenanceCommands(image: Command, io: CliIO): void {
  image
    .command('prune')
    .description('Remove unused images')
    .option('-a, --all', 'Remove all unused images, not just dangling ones', false)
    .option('-f, --force', 'Do not prompt for confirmation', false)
    .action(async (flags: { all: boolean; force: boolean }) => {
      if (!flags.force && !confirmed(io, flags.all)) return;
      const { ImagesDeleted, SpaceReclaimed } = await pruneImages((await connectEngine(io)).http, { all: flags.all });
      const deleted = ImagesDeleted ?? [];
      if (deleted.length) io.stdout(`Deleted Images:\n${deleted.map((d) => (d.Untagged ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted}\n`)).join('')}\n`);
      io.stdout(`Total reclaimed space: ${humanSize(SpaceReclaimed)}\n`);
    });
  image
    .command('history')
    .description('Show the history of an image')
    .argument('<image>')
    .option('-q, --quiet', 'Only show image IDs', false)
    .option('--no-trunc', "Don't truncate output")
    .option('-H, --human', 'Print sizes and dates in human readable format', true)
    .action(async (name: string, flags: { quiet: boolean; trunc: boolean; human: boolean }) => {
      const entries = await imageHistory((await connectEngine(io)).http, name);
      const id = (value: string) => (value === '<missing>' || !flags.trunc ? value : value.replace(/^sha256:/, '').slice(0, 12));
      if (flags.quiet) return io.stdout(entries.map((e) => `${id(e.Id)}\n`).join(''));
      const now = Date.now();
      const rows = entries.map((e) => {
        const createdBy = flags.trunc && e.CreatedBy.length > 45 ? `${e.CreatedBy.slice(0, 44)}…` : e.CreatedBy;
        return [id(e.Id), e.Created > 0 ? `${humanDuration(now - e.Created * 1000)} ago` : 'N/A', createdBy, humanSize(e.Size), e.Comment];
      });
      io.stdout(renderTable(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], rows));
    });
}

function confirmed(io: CliIO, all: boolean): boolean {
  const what = all ? 'all images without at least one container associated to them' : 'all dangling images';
  io.stdout(`WARNING! This will remove ${what}.\nAre you sure you want to continue? [y/N] `);
  const answer = io.readStdin().trim().toLowerCase();
  if (answer === 'y' || answer === 'yes') return true;
  io.stdout('\n');
  return false;
}
