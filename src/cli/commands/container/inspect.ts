import { Command, Option } from 'commander';
import { humanDuration } from '../../../engine/containers/views.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';
import { printInspected } from '../../format/inspect-output.js';
import { renderTable, truncate } from '../../table.js';
import { formatRows, isGoTemplate } from '../../format/go-template.js';
import { displayablePorts, type ListedPort } from '../../format/ports.js';

export function inspectCommands(io: CliIO): Command[] {
  const ls = new Command('ls')
    .alias('ps')
    .description('List containers')
    .option('-a, --all', 'Show all containers (default shows just running)', false)
    .option('-q, --quiet', 'Only display container IDs', false)
    .option('--no-trunc', "Don't truncate output")
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', (v: string, p: string[]) => [...p, v], [])
    .addOption(new Option('--format <format>', 'Format output: table, json, or a Go template such as {{.Names}}').default('table'))
    .action(async (flags: { all: boolean; quiet: boolean; trunc: boolean; filter: string[]; format: string }) => {
      const engine = await connectEngine(io);
      const filters: Record<string, string[]> = {};
      for (const f of flags.filter) {
        const [key, ...value] = f.split('=');
        (filters[key!] ??= []).push(value.join('='));
      }
      const list = await engine.listContainers({ all: flags.all, filters });
      const id = (full: string): string => (flags.trunc ? full.slice(0, 12) : full);
      if (flags.quiet) return io.stdout(list.map((c) => `${id(c.Id)}\n`).join(''));
      const now = Date.now();
      const line = (c: (typeof list)[number]) => ({ Command: JSON.stringify(c.Command), CreatedAt: new Date(c.Created * 1000).toISOString(), ID: id(c.Id), Image: c.Image, Labels: Object.entries(c.Labels).map(([k, v]) => `${k}=${v}`).join(','), Names: names(c), Ports: portsText(c), RunningFor: `${humanDuration(now - c.Created * 1000)} ago`, State: c.State, Status: c.Status });
      if (flags.format === 'json') return io.stdout(list.map((c) => JSON.stringify(line(c)) + '\n').join(''));
      if (isGoTemplate(flags.format)) return io.stdout(formatRows(flags.format, list.map(line), { headers: LS_HEADERS }));
      const rows = list.map((c) => [id(c.Id), c.Image, JSON.stringify(flags.trunc ? truncate(c.Command, 20) : c.Command), `${humanDuration(now - c.Created * 1000)} ago`, c.Status, portsText(c), names(c)]);
      io.stdout(renderTable(['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], rows));
    });
  const inspect = new Command('inspect')
    .description('Display detailed information on one or more containers')
    .argument('<containers...>')
    .option('-f, --format <format>', 'Format output using a Go template ({{.State.Status}}) or json')
    .action(async (names: string[], flags: { format?: string }) => {
      const engine = await connectEngine(io);
      await printInspected(io, names, (ref) => engine.inspectContainer(ref), flags.format);
    });
  const top = new Command('top')
    .description('Display the running processes of a container')
    .argument('<container>')
    .action(async (name: string) => {
      const { Titles, Processes } = await (await connectEngine(io)).top(name);
      io.stdout(renderTable(Titles, Processes));
    });
  return [ls, inspect, top];
}

/** Column titles of `ls --format 'table {{.Field}}...'`, as docker prints them. */
const LS_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Names: 'NAMES',
  Labels: 'LABELS',
};

const names = (c: { Names: string[] }): string => c.Names.map((n) => n.replace(/^\//, '')).join(',');

/** Docker's PORTS column: `0.0.0.0:8080->80/tcp, 443/tcp`. */
function portsText(c: { Ports: ListedPort[] }): string {
  return displayablePorts(c.Ports);
}
