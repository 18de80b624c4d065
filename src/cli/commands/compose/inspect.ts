import { Command, Option } from 'commander';
import { createInterface } from 'node:readline';
import { actualContainers } from '../../../compose/project/actual.js';
import { LABEL } from '../../../compose/project/labels.js';
import { UserError } from '../../../errors.js';
import { CommandExit, type CliIO } from '../../io.js';
import { renderTable } from '../../table.js';
import { connectEngine } from '../../engine-connection.js';
import { statsRow } from '../container/stats.js';
import { composeContext } from './context.js';
import { shortName } from './log-printer.js';
import { downProject } from './down.js';
import { compareText } from '../../../util/compare-text.js';

export function inspectCommands(io: CliIO): Command[] {
  const ls = new Command('ls')
    .description('List running compose projects')
    .option('-a, --all', 'Show all stopped Compose projects', false)
    .option('-q, --quiet', 'Only display project names', false)
    .addOption(new Option('--format <format>', 'Format the output').choices(['table', 'json']).default('table'))
    .action(async (flags: { all: boolean; quiet: boolean; format: string }) => {
      const engine = await connectEngine(io);
      const containers = await engine.listContainers({ all: true, filters: { label: [LABEL.project] } });
      const projects = new Map<string, { states: string[]; files: string }>();
      for (const c of containers) {
        const name = c.Labels[LABEL.project]!;
        const p = projects.get(name) ?? { states: [], files: c.Labels[LABEL.configFiles] ?? '' };
        p.states.push(c.State);
        projects.set(name, p);
      }
      const rows = [...projects].filter(([, p]) => flags.all || p.states.includes('running')).sort(([a], [b]) => compareText(a, b)).map(([name, p]) => ({ Name: name, Status: statusSummary(p.states), ConfigFiles: p.files }));
      if (flags.quiet) return io.stdout(rows.map((r) => `${r.Name}\n`).join(''));
      if (flags.format === 'json') return io.stdout(JSON.stringify(rows) + '\n');
      io.stdout(renderTable(['NAME', 'STATUS', 'CONFIG FILES'], rows.map((r) => [r.Name, r.Status, r.ConfigFiles])));
    });
  const images = new Command('images')
    .description('List images used by the created containers')
    .argument('[services...]')
    .option('-q, --quiet', 'Only display IDs', false)
    .action(async (services: string[], flags: { quiet: boolean }, command: Command) => {
      const ctx = await composeContext(io, command);
      const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => services.length === 0 || services.includes(c.service));
      const rows = await Promise.all(containers.map(async (c) => {
        const image = await ctx.engine.inspectImage(c.image).catch(() => ({ Id: '', Size: 0 }) as Record<string, unknown>);
        const [repo = c.image, tag = 'latest'] = c.image.split(/:(?=[^/]*$)/);
        return [c.name, repo, tag, String(image.Id).replace('sha256:', '').slice(0, 12), `${(Number(image.Size) / 1e6).toFixed(1)}MB`];
      }));
      if (flags.quiet) return io.stdout([...new Set(rows.map((r) => r[3]))].map((id) => `${id}\n`).join(''));
      io.stdout(renderTable(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], rows));
    });
  const top = new Command('top')
    .description('Display the running processes')
    .argument('[services...]')
    .action(async (services: string[], _f: object, command: Command) => {
      const ctx = await composeContext(io, command);
      for (const c of (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => c.state === 'running' && (services.length === 0 || services.includes(c.service)))) {
        const { Titles, Processes } = await ctx.engine.top(c.id);
        io.stdout(`${c.name}\n${renderTable(Titles, Processes)}\n`);
      }
    });
  const port = new Command('port')
    .description('Print the public port for a port binding')
    .argument('<service>')
    .argument('<private_port>')
    .option('--protocol <proto>', 'tcp or udp', 'tcp')
    .option('--index <n>', 'Index of the container if service has multiple replicas', '1')
    .action(async (service: string, privatePort: string, flags: { protocol: string; index: string }, command: Command) => {
      const ctx = await composeContext(io, command);
      const c = (await actualContainers(ctx.engine, ctx.project.name)).find((c) => c.service === service && c.number === Number(flags.index) && !c.oneoff);
      if (!c) throw new UserError(`no container found for ${service}_${flags.index}`);
      const ports = ((await ctx.engine.inspectContainer(c.id)).NetworkSettings as { Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> }).Ports ?? {};
      const binding = ports[`${privatePort}/${flags.protocol}`]?.[0];
      if (!binding) throw new UserError(`no port ${privatePort}/${flags.protocol} for container ${c.name}`);
      io.stdout(`${binding.HostIp || '0.0.0.0'}:${binding.HostPort}\n`);
    });
  const wait = new Command('wait')
    .description('Block until containers of all (or specified) services stop.')
    .argument('<services...>')
    .option('--down-project', 'Drops project when the first container stops', false)
    .action(async (services: string[], flags: { downProject: boolean }, command: Command) => {
      const ctx = await composeContext(io, command, services);
      const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => services.includes(c.service) && !c.oneoff);
      const waits = containers.map(async (c) => (await (await ctx.engine.waitContainer(c.id)).result()).StatusCode);
      if (flags.downProject) {
        // the first container to stop takes the whole project down
        const first = await Promise.race(waits);
        await downProject(ctx, { services: [], volumes: false, removeOrphans: false, timeout: undefined });
        ctx.finishProgress();
        io.stdout(`${first}\n`);
        throw new CommandExit(first);
      }
      const codes = await Promise.all(waits);
      for (const code of codes) io.stdout(`${code}\n`);
      throw new CommandExit(codes.find((c) => c !== 0) ?? 0);
    });
  const events = new Command('events')
    .description('Receive real time events from containers')
    .argument('[services...]')
    .option('--json', 'Output events as a stream of json objects', false)
    .action(async (services: string[], flags: { json: boolean }, command: Command) => {
      const ctx = await composeContext(io, command);
      const res = await ctx.engine.http.stream('GET', '/events', { query: { filters: JSON.stringify({ type: ['container'], label: [`${LABEL.project}=${ctx.project.name}`] }) } });
      for await (const line of createInterface({ input: res })) {
        const e = JSON.parse(line) as { Action: string; Actor: { ID: string; Attributes: Record<string, string> }; timeNano: number };
        const service = e.Actor.Attributes[LABEL.service] ?? '';
        if (services.length && !services.includes(service)) continue;
        const time = new Date(e.timeNano / 1e6).toISOString();
        if (flags.json) io.stdout(JSON.stringify({ time, type: 'container', action: e.Action, id: e.Actor.ID, service, attributes: e.Actor.Attributes }) + '\n');
        else io.stdout(`${time} container ${e.Action} ${e.Actor.ID} (${Object.entries(e.Actor.Attributes).map(([k, v]) => `${k}=${v}`).join(', ')})\n`);
      }
    });
  const stats = new Command('stats')
    .description('Display a live stream of container(s) resource usage statistics')
    .argument('[services...]')
    .option('--no-stream', 'Disable streaming stats and only pull the first result')
    .action(async (services: string[], flags: { stream: boolean }, command: Command) => {
      const ctx = await composeContext(io, command);
      const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => c.state === 'running' && (services.length === 0 || services.includes(c.service)));
      const rows = await Promise.all(containers.map(async (c) => {
        const res = await ctx.engine.stats(c.id, false);
        let text = '';
        for await (const chunk of res) text += String(chunk);
        return statsRow(JSON.parse(text.trim()));
      }));
      io.stdout(renderTable(['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS'], rows));
      void flags;
    });
  return [ls, images, top, port, wait, events, stats];
}

/** `running(2), exited(1)`, as `docker compose ls` summarises a project. */
function statusSummary(states: string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${s}(${n})`).join(', ');
}

export { shortName };
