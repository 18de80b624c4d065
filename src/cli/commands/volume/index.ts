/** `tscompose volume ...`: Docker's volume commands against the engine's `/volumes` API. */
import { Command } from 'commander';
import { connectEngine } from '../../engine-connection.js';
import { CommandExit, type CliIO } from '../../io.js';
import { printInspected } from '../../format/inspect-output.js';
import { createVolume, inspectVolume, listVolumes, pruneVolumes, removeVolume, type VolumeView } from '../../../engine/client/volume-api.js';
import { formatVolumes } from './format.js';
import { collect, filtersOf, keyValues } from './options.js';
import { humanSize } from '../../../util/units.js';

export function volumeCommand(io: CliIO): Command {
  const volume = new Command('volume').description('Manage volumes');
  for (const sub of [createCommand(io), lsCommand(io), inspectCommand(io), rmCommand(io), pruneCommand(io)]) volume.addCommand(sub);
  return volume;
}

const http = async (io: CliIO) => (await connectEngine(io)).http;

function createCommand(io: CliIO): Command {
  return new Command('create')
    .description('Create a volume')
    .argument('[name]', 'volume name (generated when omitted)')
    .option('-d, --driver <driver>', 'Specify volume driver name', 'local')
    .option('-o, --opt <key=value>', 'Set driver specific options', collect, [])
    .option('--label <key=value>', 'Set metadata for a volume', collect, [])
    .action(async (name: string | undefined, flags: { driver: string; opt: string[]; label: string[] }) => {
      const created = await createVolume(await http(io), {
        ...(name ? { Name: name } : {}),
        Driver: flags.driver,
        DriverOpts: keyValues(flags.opt, '--opt', true),
        Labels: keyValues(flags.label, '--label'),
      });
      io.stdout(`${created.Name}\n`);
    });
}

function lsCommand(io: CliIO): Command {
  return new Command('ls')
    .alias('list')
    .description('List volumes')
    .option('-q, --quiet', 'Only display volume names', false)
    .option('-f, --filter <filter>', "Provide filter values (e.g. 'dangling=true')", collect, [])
    .option('--format <format>', 'Format output: table, json, or a template ({{.Name}})')
    .action(async (flags: { quiet: boolean; filter: string[]; format?: string }) => {
      const { Volumes } = await listVolumes(await http(io), filtersOf(flags.filter));
      if (flags.quiet) return io.stdout(Volumes.map((v) => `${v.Name}\n`).join(''));
      io.stdout(formatVolumes(Volumes, flags.format));
    });
}

function inspectCommand(io: CliIO): Command {
  return new Command('inspect')
    .description('Display detailed information on one or more volumes')
    .argument('<volumes...>')
    .option('-f, --format <format>', 'Format output using a template ({{.Mountpoint}}) or json')
    .action(async (names: string[], flags: { format?: string }) => {
      const client = await http(io);
      await printInspected(io, names, (ref) => inspectVolume(client, ref), flags.format);
    });
}

function rmCommand(io: CliIO): Command {
  return new Command('rm')
    .alias('remove')
    .description('Remove one or more volumes')
    .argument('<volumes...>')
    .option('-f, --force', 'Force the removal of one or more volumes', false)
    .action(async (names: string[], flags: { force: boolean }) => {
      const client = await http(io);
      let failed = false;
      for (const name of names) {
        try {
          await removeVolume(client, name, flags.force);
          io.stdout(`${name}\n`);
        } catch (e) {
          failed = true;
          io.stderr(`${(e as Error).message}\n`);
        }
      }
      if (failed) throw new CommandExit(1);
    });
}

function pruneCommand(io: CliIO): Command {
  return new Command('prune')
    .description('Remove unused local volumes')
    .option('-a, --all', 'Remove all unused volumes, not just anonymous ones', false)
    .option('--filter <filter>', "Provide filter values (e.g. 'label=<label>')", collect, [])
    .option('-f, --force', 'Do not prompt for confirmation', false)
    .action(async (flags: { all: boolean; filter: string[]; force: boolean }) => {
      if (!flags.force && !confirmed(io, flags.all)) return;
      const filters = filtersOf(flags.filter);
      if (flags.all) filters.all = ['true'];
      const { VolumesDeleted, SpaceReclaimed } = await pruneVolumes(await http(io), filters);
      const deleted = VolumesDeleted ?? [];
      if (deleted.length) io.stdout(`Deleted Volumes:\n${deleted.map((n) => `${n}\n`).join('')}\n`);
      io.stdout(`Total reclaimed space: ${humanSize(SpaceReclaimed)}\n`);
    });
}

function confirmed(io: CliIO, all: boolean): boolean {
  const what = all ? 'all local volumes' : 'anonymous local volumes';
  io.stdout(`WARNING! This will remove ${what} not used by at least one container.\nAre you sure you want to continue? [y/N] `);
  const answer = io.readStdin().trim().toLowerCase();
  if (answer === 'y' || answer === 'yes') return true;
  io.stdout('\n');
  return false;
}

