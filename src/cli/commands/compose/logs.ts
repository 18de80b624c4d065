import { Command } from 'commander';
import { actualContainers } from '../../../compose/project/actual.js';
import type { CliIO } from '../../io.js';
import { composeContext } from './context.js';
import { linePrinter, printContainerLogs } from './log-printer.js';

interface LogsFlags {
  follow: boolean;
  tail: string;
  timestamps: boolean;
  since?: string;
  until?: string;
  logPrefix: boolean;
  color: boolean;
  index?: string;
}

/** `logs`: every (or the named) service's output, prefixed and coloured per container. */
export function logsCommand(io: CliIO): Command {
  return new Command('logs')
    .description('View output from containers')
    .argument('[services...]')
    .option('-f, --follow', 'Follow log output', false)
    .option('-n, --tail <n>', 'Number of lines to show from the end of the logs for each container', 'all')
    .option('-t, --timestamps', 'Show timestamps', false)
    .option('--since <time>', 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)')
    .option('--until <time>', 'Show logs before a timestamp or relative time')
    .option('--no-log-prefix', "Don't print prefix in logs")
    .option('--no-color', 'Produce monochrome output')
    .option('--index <n>', 'index of the container if service has multiple replicas')
    .action(async (services: string[], flags: LogsFlags, command: Command) => {
      const ctx = await composeContext(io, command, [], { allowNoFiles: true });
      const containers = (await actualContainers(ctx.engine, ctx.project.name))
        .filter((c) => (services.length === 0 || services.includes(c.service)) && !c.oneoff)
        .filter((c) => flags.index === undefined || c.number === Number(flags.index));
      const printer = linePrinter(io, containers, { color: flags.color, prefix: flags.logPrefix });
      await Promise.all(
        containers.map((c) =>
          printContainerLogs(ctx, c, printer, { follow: flags.follow, tail: flags.tail, timestamps: flags.timestamps, ...(flags.since ? { since: flags.since } : {}), ...(flags.until ? { until: flags.until } : {}) }),
        ),
      );
    });
}
