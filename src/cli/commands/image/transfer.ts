/** `image pull`, `image push`: progress streams from the engine, shown as Docker shows them. */
import { Command } from 'commander';
import { pullImage, pushImage } from '../../../engine/client/image-transfer.js';
import { familiarName, parseReference, referenceString } from '../../../image/reference.js';
import type { JsonMessage } from '../../../image/registry/progress.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';
import { ProgressView } from './progress-view.js';
import { credentialsFor } from './registry-auth.js';

async function show(io: CliIO, messages: AsyncGenerator<JsonMessage>, quiet: boolean): Promise<void> {
  const view = new ProgressView(io.stdout, io.streams.out.isTTY === true);
  for await (const message of messages) if (!quiet) view.show(message);
}

export function addTransferCommands(image: Command, io: CliIO): void {
  image
    .command('pull')
    .description('Download an image from a registry')
    .argument('<name>', 'NAME[:TAG|@DIGEST]')
    .option('--platform <platform>', 'Set platform if server is multi-platform capable (os/arch[/variant])')
    .option('-q, --quiet', 'Suppress verbose output', false)
    .action(async (name: string, flags: { platform?: string; quiet: boolean }) => {
      const ref = parseReference(name);
      const engine = await connectEngine(io);
      const auth = credentialsFor(io, name);
      const messages = await pullImage(engine.http, { image: familiarName(ref), tag: ref.digest ?? ref.tag, platform: flags.platform, ...(auth ? { auth } : {}) });
      await show(io, messages, flags.quiet);
      io.stdout(`${referenceString(ref)}\n`);
    });
  image
    .command('push')
    .description('Upload an image to a registry')
    .argument('<name>', 'NAME[:TAG]')
    .option('-q, --quiet', 'Suppress verbose output', false)
    .action(async (name: string, flags: { quiet: boolean }) => {
      const ref = parseReference(name);
      const engine = await connectEngine(io);
      const auth = credentialsFor(io, name);
      await show(io, await pushImage(engine.http, familiarName(ref), { tag: ref.tag, ...(auth ? { auth } : {}) }), flags.quiet);
      if (flags.quiet) io.stdout(`${referenceString(ref)}\n`);
    });
}
