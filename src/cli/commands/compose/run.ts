import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { actualContainers } from '../../../compose/project/actual.js';
import { applyUp } from '../../../compose/project/apply-up.js';
import { createServiceContainer } from '../../../compose/project/create-container.js';
import { planUp } from '../../../compose/project/plan.js';
import { ensureNetworks, ensureVolumes, resourcesUsedBy } from '../../../compose/project/resources.js';
import { UserError } from '../../../errors.js';
import { CommandExit, type CliIO } from '../../io.js';
import { pipeAttached } from '../container/attach-streams.js';
import { startOrExit } from '../container/run.js';
import { parseMount } from '../container/create-options.js';
import { parsePortSpec } from '../../../compose/canonical/ports.js';
import { composeContext } from './context.js';
import { prepareImages } from './images-step.js';
import { parseEnvFile } from '../../../compose/environment.js';
import { resolve } from 'node:path';
import { withDependencies } from './selection.js';

interface RunFlags {
  rm: boolean;
  detach: boolean;
  env: string[];
  user?: string;
  workdir?: string;
  entrypoint?: string;
  publish: string[];
  volume: string[];
  deps: boolean;
  name?: string;
  tty: boolean;
  servicePorts: boolean;
  useAliases: boolean;
  label: string[];
  envFromFile: string[];
  volumes: string[];
  pull?: string;
  quietPull: boolean;
  build?: boolean;
}

const collect = (v: string, p: string[]): string[] => [...p, v];

/** `run SERVICE [CMD]`: a one-off container of the service (its dependencies up first), exit code passed on. */
export function runCommand(io: CliIO): Command {
  return new Command('run')
    .description('Run a one-off command on a service')
    .argument('<service>')
    .argument('[command...]')
    .option('--rm', 'Automatically remove the container when it exits', false)
    .option('-d, --detach', 'Run container in background and print container ID', false)
    .option('-e, --env <KEY=VAL>', 'Set environment variables', collect, [])
    .option('-u, --user <user>', 'Run as specified username or uid')
    .option('-w, --workdir <dir>', 'Working directory inside the container')
    .option('--entrypoint <cmd>', 'Override the entrypoint of the image')
    .option('-p, --publish <port>', "Publish a container's port(s) to the host", collect, [])
    .option('-v, --volume <volume>', 'Bind mount a volume', collect, [])
    .addOption(new Option('--volumes <volume>', 'Same as --volume').argParser(collect).default([]).hideHelp())
    .option('--env-from-file <file>', 'Set environment variables from file', collect, [])
    .option('--no-deps', "Don't start linked services")
    .option('--name <name>', 'Assign a name to the container')
    .option('-T, --no-tty', 'Disable pseudo-TTY allocation (default: auto-detected)')
    .option('--service-ports', "Run command with all service's ports enabled and mapped to the host", false)
    .option('--use-aliases', "Use the service's network useAliases in the network(s) the container connects to", false)
    .option('-l, --label <KEY=VAL>', 'Add or override a label', collect, [])
    .option('--pull <policy>', 'Pull image before running ("always"|"missing"|"never")')
    .option('--quiet-pull', 'Pull without printing progress information', false)
    .option('--build', 'Build image before starting container')
    .passThroughOptions()
    .action(async (serviceName: string, command: string[], flags: RunFlags, cmd: Command) => {
      const ctx = await composeContext(io, cmd, [serviceName]);
      const desired = ctx.desired();
      const service = desired.services.find((s) => s.name === serviceName);
      if (!service) throw new UserError(`no such service: ${serviceName}`);
      const deps = flags.deps ? withDependencies(ctx.project, [serviceName]).filter((s) => s !== serviceName) : [];
      await prepareImages(io, ctx, desired, [...deps, serviceName], flags);
      if (flags.deps) {
        if (deps.length) {
          const plan = planUp(desired, await actualContainers(ctx.engine, ctx.project.name), { forceRecreate: false, noRecreate: false, removeOrphans: false, noStart: false, services: deps });
          await applyUp(ctx.engine, desired, plan, ctx.progress, { noStart: false, removeOrphans: false, warn: ctx.warn });
        }
      }
      const used = resourcesUsedBy(desired, [serviceName]);
      await ensureNetworks(ctx.engine, desired, used.networks, ctx.progress);
      await ensureVolumes(ctx.engine, desired, used.volumes, ctx.progress);
      ctx.finishProgress();
      const tty = flags.tty && io.streams.in.isTTY === true && !flags.detach;
      const name = flags.name ?? `${ctx.project.name}-${serviceName}-run-${randomBytes(6).toString('hex')}`;
      const existing = await actualContainers(ctx.engine, ctx.project.name);
      const orphans = existing.filter((c) => c.oneoff);
      if (orphans.length && !['1', 'true'].includes(io.env.COMPOSE_IGNORE_ORPHANS ?? '')) {
        ctx.warn(`Found orphan containers ([${orphans.map((o) => o.name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
      }
      const id = await createServiceContainer(ctx.engine, desired, service, {
        name,
        number: 1,
        oneoff: true,
        containerIdOf: (s) => existing.find((c) => c.service === s && !c.oneoff)?.id,
        override: (body) => {
          if (command.length) body.Cmd = command;
          if (flags.entrypoint !== undefined) body.Entrypoint = flags.entrypoint === '' ? [] : [flags.entrypoint];
          if (flags.user) body.User = flags.user;
          if (flags.workdir) body.WorkingDir = flags.workdir;
          body.Env = [...(body.Env ?? []), ...envFromFiles(flags.envFromFile, io), ...flags.env.map((e) => passthroughEnv(e, desired.lookup))];
          body.Labels = { ...body.Labels, ...Object.fromEntries(flags.label.map((l) => [l.split('=')[0]!, l.split('=').slice(1).join('=')])) };
          body.Tty = tty;
          body.OpenStdin = true; // as docker compose run: stdin stays open, attached or not
          body.AttachStdin = !flags.detach;
          const host = body.HostConfig!;
          host.AutoRemove = flags.rm;
          host.RestartPolicy = { Name: 'no' };
          if (!flags.servicePorts) host.PortBindings = {};
          for (const spec of flags.publish) for (const p of parsePortSpec(spec)) (host.PortBindings ??= {})[`${p.target}/${p.protocol ?? 'tcp'}`] = [{ HostIp: p.host_ip ?? '', HostPort: p.published ?? '' }];
          host.Mounts = [...(host.Mounts ?? []), ...[...flags.volume, ...flags.volumes].map(volumeFlag)];
          if (!flags.useAliases) for (const endpoint of Object.values(body.NetworkingConfig?.EndpointsConfig ?? {})) endpoint.Aliases = [];
        },
      });
      if (flags.detach) {
        await startOrExit(ctx.engine, id);
        io.stdout(`${name}\n`);
        return;
      }
      const socket = await ctx.engine.attach(id, { stdin: true });
      const exit = await ctx.engine.waitContainer(id, flags.rm ? 'removed' : 'next-exit');
      await startOrExit(ctx.engine, id, () => {
        socket.destroy();
        exit.cancel();
      });
      await pipeAttached(socket, { tty, stdin: true, io, resize: (r, c) => ctx.engine.resizeContainer(id, r, c) });
      throw new CommandExit((await exit.result()).StatusCode);
    });
}

/** `-v SRC:DST[:ro]` on `run`: a bind (absolute or ./relative source) or a named volume. */
function volumeFlag(spec: string): ReturnType<typeof parseMount> {
  const [source = '', target = '', mode = ''] = spec.split(':');
  const type = source.startsWith('/') || source.startsWith('.') ? 'bind' : 'volume';
  return parseMount(`type=${type},source=${source},target=${target}${mode.includes('ro') ? ',readonly' : ''}`);
}

/** `--env-from-file`: KEY=VALUE lines (the same parser as env_file). */
function envFromFiles(files: string[], io: CliIO): string[] {
  return files.flatMap((file) => [...parseEnvFile(resolve(io.cwd, file), (name) => io.env[name])].map(([k, v]) => `${k}=${v}`));
}

/** `-e NAME`: its value from the project's environment (shell, then .env); unset there, a bare NAME unsets it in the container too. */
function passthroughEnv(entry: string, lookup: (name: string) => string | undefined): string {
  if (entry.includes('=')) return entry;
  const value = lookup(entry);
  return value === undefined ? entry : `${entry}=${value}`;
}
