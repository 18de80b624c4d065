/** `tscompose login` / `logout`: check the credentials through the engine, then keep them in ~/.docker/config.json. */
import { Command } from 'commander';
import { UserError } from '../../../errors.js';
import { checkAuth } from '../../../engine/client/image-transfer.js';
import { authKeyFor, dockerConfigPath, removeCredentials, storeCredentials } from '../../../image/registry/credentials.js';
import { domainOfServer } from '../../../image/registry/login.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';

export function loginCommand(io: CliIO): Command {
  return new Command('login')
    .description('Log in to a registry (Docker Hub when no server is given)')
    .argument('[server]')
    .option('-u, --username <username>', 'Username')
    .option('-p, --password <password>', 'Password')
    .option('--password-stdin', 'Take the password from stdin', false)
    .action(async (server: string | undefined, flags: { username?: string; password?: string; passwordStdin: boolean }) => {
      if (flags.password !== undefined && flags.passwordStdin) throw new UserError('--password and --password-stdin are mutually exclusive');
      if (flags.passwordStdin && !flags.username) throw new UserError('Must provide --username with --password-stdin');
      if (flags.password !== undefined) io.stderr('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
      const password = flags.passwordStdin ? io.readStdin().replace(/\r?\n$/, '') : flags.password;
      if (!flags.username || password === undefined) throw new UserError('Error: Cannot perform an interactive login from a non TTY device (use -u and -p or --password-stdin)');
      const domain = domainOfServer(server);
      const engine = await connectEngine(io);
      await checkAuth(engine.http, { username: flags.username, password, serveraddress: authKeyFor(domain) });
      storeCredentials(domain, flags.username, password, io.env);
      io.stderr(`WARNING! Your password will be stored unencrypted in ${dockerConfigPath(io.env)}.\n`);
      io.stdout('Login Succeeded\n');
    });
}

export function logoutCommand(io: CliIO): Command {
  return new Command('logout')
    .description('Log out from a registry (Docker Hub when no server is given)')
    .argument('[server]')
    .action((server: string | undefined) => {
      const domain = domainOfServer(server);
      const key = authKeyFor(domain);
      if (!removeCredentials(domain, io.env)) return io.stdout(`Not logged in to ${key}\n`);
      io.stdout(`Removing login credentials for ${key}\n`);
    });
}
