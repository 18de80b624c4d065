import { Command, Option } from 'commander';
import { inspectNetwork, listNetworks, pruneNetworks, removeNetwork } from '../../../engine/client/network-api.js';
import { connectEngine } from '../../engine-connection.js';
import { CommandExit, type CliIO } from '../../io.js';
import { printInspected } from '../../format/inspect-output.js';
import { renderTable } from '../../table.js';
import { formatRows, isGoTemplate } from '../../format/go-template.js';
import { collect, filtersOf } from './shared.js';

/** ls, inspect, rm, prune. */
export function listCommands(io: CliIO): Command[] {
  const ls = new Command('ls')
    .alias('list')
    .description('List networks')
    .option('-q, --quiet', 'Only display network IDs', false)
    .option('--no-trunc', 'Do not truncate the output')
    .option('-f, --filter <filter>', 'Provide filter values (e.g. "driver=bridge")', collect, [])
    .addOption(new Option('--format <format>', 'Format output: table, json, or a Go template such as {{.Name}}').default('table'))
    .action(async (flags: { quiet: boolean; trunc: boolean; filter: string[]; format: string }) => {
      const engine = await connectEngine(io);
      const networks = await listNetworks(engine.http, flags.filter.length ? filtersOf(flags.filter) : undefined);
      const id = (full: string): string => (flags.trunc ? full.slice(0, 12) : full);
      if (flags.quiet) return io.stdout(networks.map((n) => `${id(n.Id)}\n`).join(''));
      const line = (n: (typeof networks)[number]) => ({
        CreatedAt: n.Created, Driver: n.Driver, ID: id(n.Id), IPv6: String(n.EnableIPv6), Internal: String(n.Internal),
        Labels: Object.entries(n.Labels).map(([k, v]) => `${k}=${v}`).join(','), Name: n.Name, Scope: n.Scope,
      });
      if (flags.format === 'json') return io.stdout(networks.map((n) => `${JSON.stringify(line(n))}\n`).join(''));
      if (isGoTemplate(flags.format)) return io.stdout(formatRows(flags.format, networks.map(line), { headers: LS_HEADERS }));
      io.stdout(renderTable(['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], networks.map((n) => [id(n.Id), n.Name, n.Driver, n.Scope])));
    });
  const inspect = new Command('inspect')
    .description('Display detailed information on one or more networks')
    .argument('<networks...>')
    .option('-f, --format <format>', 'Format output using a Go template ({{.IPAM.Config}}) or json')
    .action(async (refs: string[], flags: { format?: string }) => {
      const engine = await connectEngine(io);
      await printInspected(io, refs, (ref) => inspectNetwork(engine.http, ref), flags.format);
    });
  const rm = new Command('rm')
    .alias('remove')
    .description('Remove one or more networks')
    .argument('<networks...>')
    .option('-f, --force', 'Do not error if the network does not exist', false)
    .action(async (refs: string[], flags: { force: boolean }) => {
      const engine = await connectEngine(io);
      let failed = false;
      for (const ref of refs) {
        try {
          await removeNetwork(engine.http, ref);
          io.stdout(`${ref}\n`);
        } catch (e) {
          if (flags.force && (e as { status?: number }).status === 404) continue;
          failed = true;
          io.stderr(`${(e as Error).message}\n`);
        }
      }
      if (failed) throw new CommandExit(1);
    });
  const prune = new Command('prune')
    .description('Remove all unused networks')
    .option('-f, --force', 'Do not prompt for confirmation', false)
    .option('--filter <filter>', 'Provide filter values (e.g. "label=<key>=<value>")', collect, [])
    .action(async (flags: { filter: string[] }) => {
      const engine = await connectEngine(io);
      const { NetworksDeleted } = await pruneNetworks(engine.http, flags.filter.length ? filtersOf(flags.filter) : undefined);
      if (NetworksDeleted?.length) io.stdout(`Deleted Networks:\n${NetworksDeleted.map((n) => `${n}\n`).join('')}`);
    });
  return [ls, inspect, rm, prune];
}

/** Column titles of `ls --format 'table {{.Field}}...'`, as docker prints them. */
const LS_HEADERS: Record<string, string> = {
  ID: 'NETWORK ID',
  Name: 'NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  IPv6: 'IPV6',
  Internal: 'INTERNAL',
  Labels: 'LABELS',
  CreatedAt: 'CREATED AT',
};
