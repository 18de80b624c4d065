/** `image save`, `image load`: archives to and from a file (or stdout/stdin). */
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { UserError } from '../../../errors.js';
import { loadImages, saveImages } from '../../../engine/client/image-transfer.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';

export function addArchiveCommands(image: Command, io: CliIO): void {
  image
    .command('save')
    .description('Save one or more images to a tar archive (streamed to STDOUT by default)')
    .argument('<images...>')
    .option('-o, --output <file>', 'Write to a file, instead of STDOUT')
    .action(async (names: string[], flags: { output?: string }) => {
      if (!flags.output && io.streams.out.isTTY) throw new UserError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
      const engine = await connectEngine(io);
      const archive = await saveImages(engine.http, names);
      if (!flags.output) return pipeline(archive, io.streams.out, { end: false });
      const target = resolve(io.cwd, flags.output);
      const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
      try {
        await pipeline(archive, createWriteStream(temp));
        renameSync(temp, target); // a failed save leaves no half archive under the name
      } finally {
        rmSync(temp, { force: true });
      }
    });
  image
    .command('load')
    .description('Load an image from a tar archive or STDIN')
    .option('-i, --input <file>', 'Read from tar archive file, instead of STDIN')
    .option('-q, --quiet', 'Suppress the load output', false)
    .action(async (flags: { input?: string; quiet: boolean }) => {
      if (!flags.input && io.streams.in.isTTY) throw new UserError('requested load from stdin, but stdin is empty');
      const path = flags.input ? resolve(io.cwd, flags.input) : undefined;
      if (path && !existsSync(path)) throw new UserError(`open ${flags.input}: no such file or directory`);
      const engine = await connectEngine(io);
      const lines = await loadImages(engine.http, path ? createReadStream(path) : io.streams.in, flags.quiet);
      for (const line of lines) io.stdout(line);
    });
}
