/** `builder prune`: forgets the build cache and deletes the step images nothing else uses. */
import { Command } from 'commander';
import { pruneBuildCache } from '../../engine/client/build-api.js';
import { humanSize } from '../../util/units.js';
import { connectEngine } from '../engine-connection.js';
import type { CliIO } from '../io.js';

export function builderCommand(io: CliIO): Command {
  const builder = new Command('builder').description('Manage builds');
  builder
    .command('prune')
    .description('Remove build cache')
    .option('-f, --force', 'Do not prompt for confirmation', false)
    .action(async () => {
      const result = await pruneBuildCache((await connectEngine(io)).http);
      for (const id of result.CachesDeleted) io.stdout(`Deleted: ${id}\n`);
      io.stdout(`Total reclaimed space: ${humanSize(result.SpaceReclaimed)}\n`);
    });
  return builder;
}
