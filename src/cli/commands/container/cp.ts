import { Command } from 'commander';
import { copyDirection } from '../../copy/args.js';
import { humanSize } from '../../copy/count.js';
import { destinationOf, runCopy } from '../../copy/run.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';

interface CpFlags {
  archive: boolean;
  followLink: boolean;
  quiet: boolean;
}

/** `container cp SRC DEST`: one side `CONTAINER:PATH`, the other a host path or `-` (a tar on stdin/stdout). */
export function cpCommand(io: CliIO): Command {
  return new Command('cp')
    .description('Copy files/folders between a container and the local filesystem')
    .argument('<src>', 'CONTAINER:SRC_PATH, or a host path, or - (a tar stream on stdin)')
    .argument('<dest>', 'CONTAINER:DEST_PATH, or a host path, or - (a tar stream to stdout)')
    .option('-a, --archive', 'Archive mode (copy all uid/gid information; the default here)', true)
    .option('-L, --follow-link', 'Always follow symbol link in SRC_PATH', false)
    .option('-q, --quiet', 'Suppress progress output during copy', false)
    .action(async (src: string, dest: string, flags: CpFlags) => {
      const direction = copyDirection(src, dest);
      const engine = await connectEngine(io);
      // Docker's "No such container" first: the archive API alone cannot tell a missing container from a missing path.
      const name = (await engine.inspectContainer(direction.container)).Name.replace(/^\//, '');
      const bytes = await runCopy(engine.http, direction, direction.container, flags, io);
      if (!flags.quiet && io.streams.err.isTTY && dest !== '-') io.stderr(`Successfully copied ${humanSize(bytes)} to ${destinationOf(direction, name)}\n`);
    });
}
