import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { UserError } from '../../../errors.js';
import { readCredentials } from '../../../image/registry/credentials.js';
import { VERSION } from '../../../version.js';
import { globalFlags, loadOptions } from '../../global-options.js';
import { CommandExit, warnTo, type CliIO } from '../../io.js';

interface PublishFlags {
  yes: boolean;
  resolveImageDigests: boolean;
  withEnv: boolean;
  ociVersion?: string;
  app: boolean;
  insecureRegistry: boolean;
  dryRun: boolean;
}

/** `publish REPOSITORY[:TAG]`: the compose files as an OCI artifact, pushed from this process (no engine needed). */
export function publishCommand(io: CliIO): Command {
  return new Command('publish')
    .description('Publish compose application')
    .argument('<repository>', 'REPOSITORY[:TAG]')
    .option('-y, --yes', 'Assume "yes" as answer to all prompts', false)
    .option('--resolve-image-digests', 'Pin image tags to digests', false)
    .option('--with-env', 'Include environment variables in the published OCI artifact', false)
    .option('--oci-version <version>', 'OCI image/artifact specification version (automatically determined by default)')
    .option('--app', 'Published compose application (includes referenced images) (not supported: ignored)', false)
    .option('--insecure-registry', 'Use insecure registry (plain HTTP)', false)
    .option('--dry-run', 'Execute command in dry run mode', false)
    .action(async (repository: string, flags: PublishFlags, command: Command) => {
      const warn = warnTo(io);
      if (flags.app) warn('--app is not supported: referenced images are not published, only the compose files');
      const global = globalFlags(command);
      const { loadProject } = await import('../../../compose/loader.js');
      const { publishProject } = await import('../../../compose/publish/index.js');
      const project = loadProject(loadOptions(global, io));
      const env = flags.insecureRegistry ? withInsecure(io.env, repository) : io.env;
      const outcome = await publishProject(
        project,
        {
          repository,
          withEnv: flags.withEnv,
          resolveImageDigests: flags.resolveImageDigests,
          dryRun: flags.dryRun || global.dryRun,
          composeVersion: VERSION,
          ...(flags.ociVersion !== undefined ? { ociVersion: ociVersion(flags.ociVersion) } : {}),
        },
        {
          confirm: flags.yes ? async () => true : stdinConfirm(io),
          status: global.progress === 'quiet' ? () => undefined : (text) => io.stderr(` ${text}\n`),
          env,
          credentials: (domain) => readCredentials(domain, io.env),
        },
      );
      // docker compose's exit status for an operation the user cancelled.
      if (outcome.kind === 'declined') throw new CommandExit(130);
    });
}

function ociVersion(value: string): '1.0' | '1.1' {
  if (value === '1.0' || value === '1.1') return value;
  throw new UserError(`unsupported OCI version: ${value}`);
}

/** --insecure-registry: plain HTTP to the target's registry, for this run only. */
function withInsecure(env: NodeJS.ProcessEnv, repository: string): NodeJS.ProcessEnv {
  const slash = repository.indexOf('/');
  const first = slash === -1 ? '' : repository.slice(0, slash);
  if (!/[.:]|^localhost$/.test(first)) return env;
  return { ...env, TSCOMPOSE_INSECURE_REGISTRIES: [env.TSCOMPOSE_INSECURE_REGISTRIES, first].filter(Boolean).join(',') };
}

/**
 * Answers read from standard input, one line per question: a terminal is asked interactively; piped input is
 * read once and consumed line by line. No answer (EOF, empty input) is a "no": nothing is published unasked.
 */
function stdinConfirm(io: CliIO): (question: string) => Promise<boolean> {
  let piped: string[] | undefined;
  const nextPipedLine = (): string | undefined => {
    if (piped === undefined) {
      try {
        piped = io.readStdin().split('\n');
      } catch {
        piped = [];
      }
      if (piped.at(-1) === '') piped.pop();
    }
    return piped.shift();
  };
  return async (question) => {
    io.stdout(`${question} [y/N]: `);
    const tty = io.streams.in.isTTY === true;
    const answer = tty ? await terminalLine(io.streams.in) : nextPipedLine();
    if (!tty || answer === undefined) io.stdout('\n'); // a terminal echoed the answer and its newline
    return /^\s*(y|yes)\s*$/i.test(answer ?? '');
  };
}

function terminalLine(input: NodeJS.ReadStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let line: string | undefined;
    rl.once('line', (text) => {
      line = text;
      rl.close();
    });
    rl.once('close', () => resolve(line));
  });
}
