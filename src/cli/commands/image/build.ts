/** `image build` (docker build): a Dockerfile and its context directory through the engine's builder. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildImage } from '../../../engine/client/build-api.js';
import { UserError } from '../../../errors.js';
import { readAllCredentials } from '../../../image/registry/credentials.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';

const collect = (v: string, p: string[]): string[] => [...p, v];

interface BuildFlags {
  tag: string[];
  file?: string;
  buildArg: string[];
  target?: string;
  cache: boolean;
  pull: boolean;
  quiet: boolean;
  label: string[];
  network?: string;
  secret: string[];
}

export function addBuildCommand(image: Command, io: CliIO): void {
  image
    .command('build')
    .description('Build an image from a Dockerfile')
    .argument('<context>', 'the build context directory')
    .option('-t, --tag <name>', 'Name and optionally a tag (format: "name:tag")', collect, [])
    .option('-f, --file <path>', "Name of the Dockerfile (default: 'PATH/Dockerfile')")
    .option('--build-arg <key=value>', 'Set build-time variables', collect, [])
    .option('--target <stage>', 'Set the target build stage to build')
    .option('--no-cache', 'Do not use cache when building the image')
    .option('--pull', 'Always attempt to pull a newer version of the image', false)
    .option('-q, --quiet', 'Suppress the build output and print image ID on success', false)
    .option('--label <key=value>', 'Set metadata for an image', collect, [])
    .option('--network <mode>', 'Set the networking mode for the RUN instructions during build')
    .option('--secret <id=x,src=path|env=VAR>', 'Secret to expose to the build', collect, [])
    .action(async (context: string, flags: BuildFlags) => {
      const engine = await connectEngine(io);
      const pairs = (list: string[]) => Object.fromEntries(list.map((a) => (a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, io.env[a] ?? null])));
      let imageId: string | undefined;
      const messages = await buildImage(engine.http, {
        context: resolve(io.cwd, context),
        ...(flags.file ? { dockerfile: resolve(io.cwd, flags.file) } : {}),
        buildArgs: pairs(flags.buildArg),
        ...(flags.target ? { target: flags.target } : {}),
        tags: flags.tag,
        labels: Object.fromEntries(flags.label.map((l) => [l.split('=', 1)[0]!, l.includes('=') ? l.slice(l.indexOf('=') + 1) : ''])),
        noCache: !flags.cache,
        pull: flags.pull,
        ...(flags.network ? { network: flags.network === 'default' ? '' : flags.network } : {}),
        secrets: Object.fromEntries(flags.secret.map((s) => secretOf(s, io))),
        registryAuth: readAllCredentials(io.env) as Record<string, Record<string, string>>,
      });
      for await (const message of messages) {
        if (message.stream && !flags.quiet) io.streams.err.write(message.stream);
        if (typeof message.aux?.ID === 'string') imageId = message.aux.ID;
      }
      if (!imageId) throw new UserError('the build ended without an image');
      if (flags.quiet) io.stdout(`${imageId}\n`);
      else for (const tag of flags.tag) io.streams.err.write(`Successfully tagged ${tag}\n`);
    });
}

/** `--secret id=token,src=./token.txt` or `id=token,env=TOKEN`: the id and its content (base64), read here. */
function secretOf(spec: string, io: CliIO): [string, string] {
  const fields = Object.fromEntries(spec.split(',').map((kv) => [kv.split('=', 1)[0]!, kv.slice(kv.indexOf('=') + 1)]));
  const id = fields.id;
  if (!id) throw new UserError(`--secret ${spec}: id= is required`);
  const src = fields.src ?? fields.source;
  if (src) return [id, readFileSync(resolve(io.cwd, src)).toString('base64')];
  const value = io.env[fields.env ?? id];
  if (value === undefined) throw new UserError(`--secret ${spec}: no src= and environment variable ${fields.env ?? id} is not set`);
  return [id, Buffer.from(value).toString('base64')];
}
