import { createInterface } from 'node:readline';
import { actualContainers, type ActualContainer } from '../../../compose/project/actual.js';
import { LABEL } from '../../../compose/project/labels.js';
import { decodeFrames } from '../../../engine/logs/stream-framing.js';
import type { CliIO } from '../../io.js';
import type { ComposeContext } from './context.js';

const COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

export interface FollowOptions {
  services: string[];
  timestamps: boolean;
  color: boolean;
  prefix: boolean;
  abortOnExit: boolean;
  exitCodeFrom?: string | undefined;
  onInterrupt: () => Promise<void>;
}

/**
 * Attached `up`: every service's output with a coloured `web-1  | ` prefix, until all containers have exited, one
 * exits with --abort-on-container-exit, or Ctrl-C (graceful stop; a second Ctrl-C kills). Returns the exit code.
 */
export async function followProjectLogs(io: CliIO, ctx: ComposeContext, opts: FollowOptions): Promise<number | undefined> {
  const since = String(Math.floor(Date.now() / 1000) - 1);
  const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => !c.oneoff && opts.services.includes(c.service));
  const printer = linePrinter(io, containers, opts);
  const abort = new AbortController();
  const streams = containers.map((c) => printContainerLogs(ctx, c, printer, { since, timestamps: opts.timestamps }));
  const running = new Set(containers.filter((c) => c.state === 'running' || c.state === 'restarting').map((c) => c.id));
  const outcome = await new Promise<number | undefined>((resolve) => {
    let interrupted = 0;
    const onSigint = (): void => {
      interrupted++;
      if (interrupted === 1) {
        io.stderr('Gracefully stopping... (press Ctrl+C again to force)\n');
        void opts.onInterrupt().then(() => resolve(130));
      } else {
        void Promise.all(containers.map((c) => ctx.engine.killContainer(c.id).catch(() => undefined))).then(() => resolve(130));
      }
    };
    process.on('SIGINT', onSigint);
    watchExits(ctx, containers, abort.signal, (container, exitCode) => {
      printer.exited(container, exitCode);
      running.delete(container.id);
      const decisive = opts.exitCodeFrom === undefined || container.service === opts.exitCodeFrom;
      if (opts.abortOnExit && decisive) {
        io.stderr('Aborting on container exit...\n');
        void opts.onInterrupt().then(() => resolve(opts.exitCodeFrom === undefined && exitCode === 0 ? 0 : exitCode));
      } else if (running.size === 0) resolve(opts.exitCodeFrom ? undefined : 0);
    });
    if (running.size === 0) resolve(0);
  });
  abort.abort();
  await Promise.race([Promise.all(streams), new Promise((r) => setTimeout(r, 500))]);
  return outcome;
}

interface LinePrinter {
  line(container: ActualContainer, text: string, stream: 'stdout' | 'stderr'): void;
  exited(container: ActualContainer, exitCode: number): void;
}

/** `web-1  | ` prefixes padded to the longest, a colour per service (none without a terminal or with --no-color). */
export function linePrinter(io: CliIO, containers: ActualContainer[], opts: { color: boolean; prefix: boolean }): LinePrinter {
  const width = Math.max(0, ...containers.map((c) => shortName(c).length));
  const colorOn = opts.color && io.streams.out.isTTY === true && io.env.NO_COLOR === undefined;
  const services = [...new Set(containers.map((c) => c.service))].sort();
  const paint = (c: ActualContainer, text: string): string => (colorOn ? `\x1b[${COLORS[services.indexOf(c.service) % COLORS.length]}m${text}\x1b[0m` : text);
  const prefix = (c: ActualContainer): string => (opts.prefix ? paint(c, `${shortName(c).padEnd(width)}  | `) : '');
  return {
    line: (c, text, stream) => (stream === 'stderr' && !opts.prefix ? io.streams.err : io.streams.out).write(`${prefix(c)}${text}\n`),
    exited: (c, code) => io.streams.out.write(`${paint(c, `${shortName(c)} exited with code ${code}`)}\n`),
  };
}

/** Compose prints `web-1`, not the full container name, in log prefixes. */
export function shortName(c: ActualContainer): string {
  return c.labels[LABEL.project] && c.name.startsWith(`${c.labels[LABEL.project]}-`) ? c.name.slice(c.labels[LABEL.project]!.length + 1) : c.name;
}

export async function printContainerLogs(ctx: ComposeContext, c: ActualContainer, printer: LinePrinter, query: { since?: string; tail?: string; timestamps: boolean; follow?: boolean; until?: string }): Promise<void> {
  const res = await ctx.engine.logs(c.id, { follow: query.follow ?? true, timestamps: query.timestamps, ...(query.since ? { since: query.since } : {}), ...(query.tail ? { tail: query.tail } : {}), ...(query.until ? { until: query.until } : {}) });
  const pending: Record<string, string> = { stdout: '', stderr: '' };
  for await (const frame of decodeFrames(res)) {
    const stream = frame.stream === 'stderr' ? 'stderr' : 'stdout';
    const text = pending[stream] + frame.payload.toString('utf8');
    const lines = text.split('\n');
    pending[stream] = lines.pop() ?? '';
    for (const line of lines) printer.line(c, line, stream);
  }
  for (const [stream, rest] of Object.entries(pending)) if (rest) printer.line(c, rest, stream as 'stdout');
}

/** The engine's /events for the project's containers: calls back on each `die` with its exit code. */
async function watchExits(ctx: ComposeContext, containers: ActualContainer[], signal: AbortSignal, onExit: (c: ActualContainer, code: number) => void): Promise<void> {
  const res = await ctx.engine.http.stream('GET', '/events', { query: { filters: JSON.stringify({ type: ['container'], event: ['die'], label: [`${LABEL.project}=${ctx.project.name}`] }) } });
  signal.addEventListener('abort', () => res.destroy());
  try {
    for await (const line of createInterface({ input: res })) {
      const event = JSON.parse(line) as { Actor: { ID: string; Attributes: Record<string, string> } };
      const container = containers.find((c) => c.id === event.Actor.ID);
      if (container) onExit(container, Number(event.Actor.Attributes.exitCode ?? 0));
    }
  } catch {
    // the stream ends with the command
  }
}
