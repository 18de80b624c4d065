import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import type { CliIO } from '../io.js';

/** `tscompose engine start|stop|status`: the daemon, managed explicitly. */
export function engineCommand(io: CliIO): Command {
  const engine = new Command('engine').description('Manage the tscompose engine (daemon)');
  engine
    .command('start')
    .description('Start the engine in the background (if not running)')
    .action(async () => {
      const { engineConfigFromEnv } = await import('../../engine/config.js');
      const { ensureEngine } = await import('../../engine/client/autostart.js');
      const config = engineConfigFromEnv(io.env);
      await ensureEngine(config, io.env);
      io.stdout(`engine running on unix://${config.socketPath} (pid ${enginePid(config.root) ?? '?'}, log ${config.logFile})\n`);
    });
  engine
    .command('stop')
    .description('Stop the engine and every container it runs')
    .action(async () => {
      const { engineConfigFromEnv } = await import('../../engine/config.js');
      const config = engineConfigFromEnv(io.env);
      const pid = enginePid(config.root);
      if (pid === undefined || !alive(pid)) {
        io.stdout('engine not running\n');
        return;
      }
      process.kill(pid, 'SIGTERM');
      while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
      io.stdout('engine stopped\n');
    });
  engine
    .command('status')
    .description('Show whether the engine runs, and where')
    .action(async () => {
      const { engineConfigFromEnv } = await import('../../engine/config.js');
      const { HttpClient } = await import('../../engine/client/http-client.js');
      const { ping } = await import('../../engine/client/autostart.js');
      const config = engineConfigFromEnv(io.env);
      const up = await ping(new HttpClient(config.socketPath));
      io.stdout(up ? `running: unix://${config.socketPath} (pid ${enginePid(config.root) ?? '?'}, root ${config.root})\n` : `not running (socket unix://${config.socketPath})\n`);
      if (!up) process.exitCode = 1;
    });
  return engine;
}

function enginePid(root: string): number | undefined {
  try {
    return Number(readFileSync(join(root, 'engine.pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
