import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { builtProgram } from '../../util/package-root.js';
import { UserError } from '../../errors.js';
import type { EngineConfig } from '../config.js';
import { EngineUnreachableError, HttpClient, readAll, type RequestOptions } from './http-client.js';

const DAEMON_ENTRY = builtProgram('engine/daemon.js');
const START_TIMEOUT_MS = 15_000;

export async function ping(client: HttpClient): Promise<boolean> {
  try {
    return (await readAll(await client.stream('GET', '/_ping'))) === 'OK';
  } catch (e) {
    if (e instanceof EngineUnreachableError) return false;
    throw e;
  }
}

/**
 * The "embedded default": when nothing answers on the socket, start the engine in the background (its own session,
 * output to its log file) and wait until it answers.
 */
export async function ensureEngine(config: EngineConfig, env: NodeJS.ProcessEnv): Promise<HttpClient> {
  const client = new HttpClient(config.socketPath);
  if (await ping(client)) return client;
  startEngineProcess(config, env);
  await waitUntilUp(client, config);
  return client;
}

/**
 * A client that starts the engine when a request finds nobody listening, then sends that request again: nothing of
 * it reached an engine. Unlike `ensureEngine` it pays no `_ping` round trip on every command. A request with a
 * streamed body cannot be sent twice, so before such a request it pings.
 */
export class AutostartingClient extends HttpClient {
  private starting: Promise<void> | undefined;
  /** Once the engine answered, a refused connection means it went away (`engine stop`): that is reported, not undone. */
  private reached = false;

  constructor(
    private readonly config: EngineConfig,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    super(config.socketPath);
  }

  override async stream(method: string, path: string, opts: RequestOptions = {}): ReturnType<HttpClient['stream']> {
    if (opts.rawBody && !(await ping(this))) await this.start();
    return this.retryingOnce(() => super.stream(method, path, opts));
  }

  override hijack(method: string, path: string, opts: RequestOptions = {}): ReturnType<HttpClient['hijack']> {
    return this.retryingOnce(() => super.hijack(method, path, opts));
  }

  private async retryingOnce<T>(send: () => Promise<T>): Promise<T> {
    try {
      const answer = await send();
      this.reached = true;
      return answer;
    } catch (e) {
      if (!(e instanceof EngineUnreachableError) || this.reached) throw e;
      await this.start();
      return send();
    }
  }

  /** One start for all requests that found the socket unanswered at the same time. */
  private start(): Promise<void> {
    this.starting ??= (async () => {
      startEngineProcess(this.config, this.env);
      await waitUntilUp(new HttpClient(this.config.socketPath), this.config);
    })();
    return this.starting;
  }
}

export function startEngineProcess(config: EngineConfig, env: NodeJS.ProcessEnv): number {
  if (process.getuid?.() !== 0) throw new UserError('the tscompose engine needs root (namespaces, cgroups, mounts): run as root');
  mkdirSync(dirname(config.logFile), { recursive: true });
  const log = openSync(config.logFile, 'a');
  const child = spawn(process.execPath, [DAEMON_ENTRY], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...env, TSCOMPOSE_ROOT: config.root, TSCOMPOSE_HOST: config.socketPath, TSCOMPOSE_CGROUP_PARENT: config.cgroupParent },
  });
  closeSync(log);
  child.unref();
  return child.pid ?? 0;
}

export async function waitUntilUp(client: HttpClient, config: EngineConfig): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await ping(client)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new UserError(`the engine did not answer on ${config.socketPath} within ${START_TIMEOUT_MS / 1000}s; see its log: ${config.logFile}`);
}
