import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { UserError } from '../../../errors.js';
import { connectEngine } from '../../engine-connection.js';
import { CommandExit, type CliIO } from '../../io.js';
import { renderTable } from '../../table.js';
import { humanSize } from '../../../util/units.js';
import { humanDuration } from '../../../engine/containers/views.js';
import { addArchiveCommands } from './archive.js';
import { addBuildCommand } from './build.js';
import { printInspected } from '../../format/inspect-output.js';
import { addMaintenanceCommands } from './maintenance.js';
import { addTransferCommands } from './transfer.js';

const collect = (v: string, p: string[]): string[] => [...p, v];

/** `tscompose image ...`: import a rootfs, list, inspect, tag, remove; pull, push, save, load, prune, history. */
export function imageCommand(io: CliIO): Command {
  const image = new Command('image').description('Manage images');
  addBuildCommand(image, io);
  image
    .command('import')
    .description('Import the contents from a tarball to create a filesystem image')
    .argument('<file>', 'rootfs tarball (plain or gzip), or - for stdin')
    .argument('[reference]', 'NAME[:TAG]')
    .option('-c, --change <instruction>', 'Apply Dockerfile instruction to the created image', collect, [])
    .option('-m, --message <message>', 'Set commit message for imported image')
    .action(async (file: string, reference: string | undefined, flags: { change: string[]; message?: string }) => {
      const source = file === '-' ? io.streams.in : openTarball(resolve(io.cwd, file));
      const [repo, tag] = splitReference(reference);
      const { status } = await (await connectEngine(io)).importImage(source, { repo, tag, changes: flags.change, message: flags.message });
      io.stdout(`${status}\n`);
    });
  image
    .command('ls')
    .alias('list')
    .description('List images')
    .option('-q, --quiet', 'Only show image IDs', false)
    .option('-a, --all', 'Show all images (by default the untagged images of build steps are hidden)', false)
    .action(async (flags: { quiet: boolean; all: boolean }) => {
      const images = (await (await connectEngine(io)).listImages({ all: flags.all })) as Array<{ Id: string; RepoTags: string[]; Created: number; Size: number }>;
      const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
      if (flags.quiet) return io.stdout(images.map((i) => `${short(i.Id)}\n`).join(''));
      const now = Date.now();
      const rows = images.flatMap((i) => (i.RepoTags.length ? i.RepoTags : ['<none>:<none>']).map((ref) => {
        const at = ref.lastIndexOf(':');
        return [ref.slice(0, at), ref.slice(at + 1), short(i.Id), `${humanDuration(now - i.Created * 1000)} ago`, humanSize(i.Size)];
      }));
      io.stdout(renderTable(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], rows));
    });
  image
    .command('inspect')
    .description('Display detailed information on one or more images')
    .argument('<images...>')
    .option('-f, --format <format>', 'Format output using a Go template ({{.Id}}) or json')
    .action(async (refs: string[], flags: { format?: string }) => {
      const engine = await connectEngine(io);
      await printInspected(io, refs, (ref) => engine.inspectImage(ref), flags.format);
    });
  image
    .command('tag')
    .description('Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE')
    .argument('<source>')
    .argument('<target>')
    .action(async (source: string, target: string) => {
      const [repo, tag] = splitReference(target);
      await (await connectEngine(io)).tagImage(source, repo!, tag);
    });
  image
    .command('rm')
    .alias('remove')
    .description('Remove one or more images')
    .argument('<images...>')
    .option('-f, --force', 'Force removal of the image', false)
    .action(async (refs: string[], flags: { force: boolean }) => {
      const engine = await connectEngine(io);
      let failed = false;
      for (const ref of refs) {
        try {
          for (const r of await engine.removeImage(ref, flags.force)) io.stdout(r.Untagged ? `Untagged: ${r.Untagged}\n` : `Deleted: ${r.Deleted}\n`);
        } catch (e) {
          failed = true;
          io.stderr(`${(e as Error).message}\n`);
        }
      }
      if (failed) throw new CommandExit(1);
    });
  addTransferCommands(image, io);
  addArchiveCommands(image, io);
  addMaintenanceCommands(image, io);
  return image;
}

function openTarball(path: string): NodeJS.ReadableStream & import('node:stream').Readable {
  if (!existsSync(path)) throw new UserError(`open ${path}: no such file or directory`);
  return createReadStream(path);
}

/** `name:tag` → [name, tag]; a colon inside a registry host:port is not a tag. */
function splitReference(reference: string | undefined): [string | undefined, string | undefined] {
  if (!reference) return [undefined, undefined];
  const at = reference.lastIndexOf(':');
  return at > reference.lastIndexOf('/') ? [reference.slice(0, at), reference.slice(at + 1)] : [reference, undefined];
}

