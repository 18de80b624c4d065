import { Command, Option } from 'commander';
import { actualContainers, type ActualContainer } from '../../../compose/project/actual.js';
import type { CliIO } from '../../io.js';
import { renderTable, truncate } from '../../table.js';
import { humanDuration } from '../../../engine/containers/views.js';
import { formatRows, isGoTemplate } from '../../format/go-template.js';
import { displayablePorts } from '../../format/ports.js';
import { composeContext } from './context.js';

interface PsFlags {
  all: boolean;
  quiet: boolean;
  services: boolean;
  status: string[];
  filter: string[];
  format: string;
  trunc: boolean;
  orphans: boolean;
}

/** `ps`: the project's containers with Docker Compose's columns, `--format json` with its fields. */
export function psCommand(io: CliIO): Command {
  return new Command('ps')
    .description('List containers')
    .argument('[services...]')
    .option('-a, --all', 'Show all stopped containers (including those created by the run command)', false)
    .option('-q, --quiet', 'Only display IDs', false)
    .option('--services', 'Display services', false)
    .option('--status <status>', 'Filter services by status (paused|restarting|removing|running|dead|created|exited)', (v: string, p: string[]) => [...p, v], [])
    .option('--filter <filter>', 'Filter services by a property (supported filters: status)', (v: string, p: string[]) => [...p, v], [])
    .addOption(new Option('--format <format>', 'Format output').default('table'))
    .option('--no-trunc', "Don't truncate output")
    .option('--no-orphans', "Don't include orphaned services")
    .action(async (services: string[], flags: PsFlags, command: Command) => {
      const ctx = await composeContext(io, command, [], { allowNoFiles: true });
      const known = Object.keys((ctx.project.model.services ?? {}) as object);
      const statuses = [...flags.status, ...flags.filter.filter((f) => f.startsWith('status=')).map((f) => f.slice(7))];
      const containers = (await actualContainers(ctx.engine, ctx.project.name))
        .filter((c) => services.length === 0 || services.includes(c.service))
        .filter((c) => flags.all || statuses.length > 0 || c.state === 'running' || c.state === 'restarting' || c.state === 'paused')
        .filter((c) => labelFilters(flags.filter).every(([k, v]) => k in c.labels && (v === undefined || c.labels[k] === v)))
        .filter((c) => statuses.length === 0 || statuses.includes(c.state))
        .filter((c) => flags.orphans || ctx.project.fromLabels || known.includes(c.service));
      if (flags.quiet) return io.stdout(containers.map((c) => `${flags.trunc ? c.id.slice(0, 12) : c.id}\n`).join(''));
      if (flags.services) return io.stdout([...new Set(containers.map((c) => c.service))].map((s) => `${s}\n`).join(''));
      const rows = containers.map(psRow);
      if (flags.format === 'json') return io.stdout(rows.map((r) => JSON.stringify(r) + '\n').join(''));
      if (isGoTemplate(flags.format)) return io.stdout(formatRows(flags.format, rows, { headers: PS_HEADERS }));
      io.stdout(renderTable(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], rows.map((r) => [r.Name, r.Image, JSON.stringify(flags.trunc ? truncate(r.Command, 20) : r.Command), r.Service, r.RunningFor, r.Status, r.Ports])));
    });
}

interface PsRow {
  Command: string;
  CreatedAt: string;
  ExitCode: number;
  Health: string;
  ID: string;
  Image: string;
  Labels: string;
  LocalVolumes: string;
  Mounts: string;
  Name: string;
  Names: string;
  Networks: string;
  Ports: string;
  Project: string;
  Publishers: unknown[];
  RunningFor: string;
  Service: string;
  Size: string;
  State: string;
  Status: string;
}

/**
 * One container as `docker compose ps --format json` prints it, from the engine's list alone. Compose inspects each
 * container for its health and exit code; the list's status text carries both ("Up 2 minutes (healthy)",
 * "Exited (3) 5 seconds ago"), and a request per container was most of the time `ps` took with 20 of them.
 */
function psRow(c: ActualContainer): PsRow {
  const { summary } = c;
  const publishers = [...summary.Ports]
    .sort((a, b) => a.PrivatePort - b.PrivatePort)
    .map((p) => ({ URL: p.IP || (p.PublicPort ? '0.0.0.0' : ''), TargetPort: p.PrivatePort, PublishedPort: p.PublicPort ?? 0, Protocol: p.Type }));
  const mounts = summary.Mounts ?? [];
  const created = new Date(summary.Created * 1000);
  return {
    Command: summary.Command,
    CreatedAt: created.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC'),
    ExitCode: exitCodeOf(c),
    Health: healthOf(c),
    ID: c.id,
    Image: c.image,
    Labels: Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(','),
    LocalVolumes: String(mounts.filter((m) => m.Type === 'volume').length),
    Mounts: mounts.map((m) => m.Name || m.Source).join(','),
    Name: c.name,
    Names: c.name,
    Networks: Object.keys(summary.NetworkSettings?.Networks ?? {}).join(','),
    Ports: displayablePorts(publishers.map((p) => ({ IP: p.URL, PrivatePort: p.TargetPort, PublicPort: p.PublishedPort, Type: p.Protocol }))),
    Project: c.labels['com.docker.compose.project'] ?? '',
    Publishers: publishers,
    RunningFor: `${humanDuration(Date.now() - created.getTime())} ago`,
    Service: c.service,
    Size: '0B',
    State: c.state,
    Status: c.status,
  };
}

/** A running container's healthcheck verdict, as inspect's State.Health.Status names it; '' without a healthcheck. */
function healthOf(c: ActualContainer): string {
  const verdict = c.state === 'running' ? /\((healthy|unhealthy|health: starting)\)$/.exec(c.status)?.[1] : undefined;
  return verdict === 'health: starting' ? 'starting' : (verdict ?? '');
}

/** As Compose: the exit code of an exited or dead container, 0 otherwise. */
function exitCodeOf(c: ActualContainer): number {
  if (c.state !== 'exited' && c.state !== 'dead') return 0;
  return Number(/^Exited \((-?\d+)\)/.exec(c.status)?.[1] ?? 0);
}

/** `--filter label=KEY[=VALUE]`. */
function labelFilters(filters: string[]): Array<[string, string | undefined]> {
  return filters.filter((f) => f.startsWith('label=')).map((f) => {
    const [key = '', ...value] = f.slice('label='.length).split('=');
    return [key, value.length ? value.join('=') : undefined];
  });
}

/** Column titles of `ps --format 'table {{.Field}}...'`, as Docker Compose prints them. */
const PS_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Name: 'NAME',
  Names: 'NAMES',
  Image: 'IMAGE',
  Command: 'COMMAND',
  Service: 'SERVICE',
  Project: 'PROJECT',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  State: 'STATE',
  Status: 'STATUS',
  Health: 'HEALTH',
  ExitCode: 'EXIT CODE',
  Ports: 'PORTS',
  Publishers: 'PUBLISHERS',
  Labels: 'LABELS',
  LocalVolumes: 'LOCAL VOLUMES',
  Mounts: 'MOUNTS',
  Networks: 'NETWORKS',
  Size: 'SIZE',
};
