import { Command, Option } from 'commander';
import { humanDuration } from '../../../engine/containers/views.js';
import { connectEngine } from '../../engine-connection.js';
import { CommandExit, type CliIO } from '../../io.js';
import { renderTable, truncate } from '../../table.js';
import { goTemplate } from '../compose/ps.js';

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
      if (flags.format === 'json') {
        return io.stdout(list.map((c) => JSON.stringify({ Command: JSON.stringify(c.Command), CreatedAt: new Date(c.Created * 1000).toISOString(), ID: id(c.Id), Image: c.Image, Labels: Object.entries(c.Labels).map(([k, v]) => `${k}=${v}`).join(','), Names: names(c), Ports: portsText(c), RunningFor: `${humanDuration(now - c.Created * 1000)} ago`, State: c.State, Status: c.Status }) + '\n').join(''));
      }
      if (flags.format.includes('{{')) {
        return io.stdout(list.map((c) => goTemplate(flags.format, { ID: id(c.Id), Image: c.Image, Command: JSON.stringify(c.Command), Names: names(c), Status: c.Status, State: c.State, Ports: portsText(c), Labels: Object.entries(c.Labels).map(([k, v]) => `${k}=${v}`).join(',') }) + '\n').join(''));
      }
      const rows = list.map((c) => [id(c.Id), c.Image, JSON.stringify(flags.trunc ? truncate(c.Command, 20) : c.Command), `${humanDuration(now - c.Created * 1000)} ago`, c.Status, portsText(c), names(c)]);
      io.stdout(renderTable(['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], rows));
    });
  const inspect = new Command('inspect')
    .description('Display detailed information on one or more containers')
    .argument('<containers...>')
    .action(async (names: string[]) => {
      const engine = await connectEngine(io);
      const found: unknown[] = [];
      let missing = false;
      for (const name of names) {
        try {
          found.push(await engine.inspectContainer(name));
        } catch (e) {
          missing = true;
          io.stderr(`${(e as Error).message}\n`);
        }
      }
      io.stdout(JSON.stringify(found, null, 4) + '\n');
      if (missing) throw new CommandExit(1);
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

const names = (c: { Names: string[] }): string => c.Names.map((n) => n.replace(/^\//, '')).join(',');

/** Docker's PORTS column: `0.0.0.0:8080->80/tcp, 443/tcp`. */
function portsText(c: { Ports: unknown[] }): string {
  return (c.Ports as Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>)
    .map((p) => (p.PublicPort ? `${p.IP || '0.0.0.0'}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`))
    .join(', ');
}
