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
  abortOnFailure: boolean;
  exitCodeFrom?: string | undefined;
  onInterrupt: () => Promise<void>;
  /** Started before the containers were: exits that happen while `up` still starts others are not missed. */
  exits: ExitWatch;
}

/** The project's container exits (`die` events), buffered from the moment it is opened. */
export interface ExitWatch {
  onExit(listener: (id: string, exitCode: number) => void): void;
  close(): void;
}

export async function watchProjectExits(ctx: ComposeContext): Promise<ExitWatch> {
  const res = await ctx.engine.http.stream('GET', '/events', { query: { filters: JSON.stringify({ type: ['container'], event: ['die'], label: [`${LABEL.project}=${ctx.project.name}`] }) } });
  const seen: Array<[string, number]> = [];
  const listeners: Array<(id: string, code: number) => void> = [];
  void (async () => {
    try {
      for await (const line of createInterface({ input: res })) {
        const event = JSON.parse(line) as { Actor: { ID: string; Attributes: Record<string, string> } };
        const exit: [string, number] = [event.Actor.ID, Number(event.Actor.Attributes.exitCode ?? 0)];
        seen.push(exit);
        for (const l of listeners) l(...exit);
      }
    } catch {
      // closed with the command
    }
  })();
  return {
    onExit: (listener) => {
      listeners.push(listener);
      for (const exit of seen) listener(...exit);
    },
    close: () => res.destroy(),
  };
}

/**
 * Attached `up`: every service's output with a coloured `web-1  | ` prefix, until all containers have exited, one
 * exits with --abort-on-container-exit, or Ctrl-C (graceful stop; a second Ctrl-C kills). Returns the exit code.
 */
export async function followProjectLogs(io: CliIO, ctx: ComposeContext, opts: FollowOptions): Promise<number | undefined> {
  const since = String(Math.floor(Date.now() / 1000) - 1);
  const containers = (await actualContainers(ctx.engine, ctx.project.name)).filter((c) => !c.oneoff && opts.services.includes(c.service));
  const printer = linePrinter(io, containers, opts);
  const streams = containers.map((c) => printContainerLogs(ctx, c, printer, { since, timestamps: opts.timestamps }).catch(() => undefined));
  // its last lines first, then "exited with code": a container's log stream ends shortly after it exits
  const streamsDone = (c: ActualContainer): Promise<unknown> => Promise.race([streams[containers.indexOf(c)], new Promise((r) => setTimeout(r, 1000))]);
  const running = new Set(containers.map((c) => c.id));
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
    let aborting = false;
    const exitCodes = new Map<string, number>();
    opts.exits.onExit((id, exitCode) => {
      const container = containers.find((c) => c.id === id);
      if (!container || !running.has(id)) return;
      exitCodes.set(container.service, exitCode);
      void streamsDone(container).then(() => printer.exited(container, exitCode));
      running.delete(id);
      // --exit-code-from implies --abort-on-container-exit: any exit stops all; the code is that service's, once stopped
      const abort = opts.abortOnExit || (opts.abortOnFailure && exitCode !== 0);
      if (abort && !aborting) {
        aborting = true;
        io.stderr('Aborting on container exit...\n');
        void opts.onInterrupt().then(async () => resolve(opts.exitCodeFrom ? await exitCodeOf(ctx, containers, opts.exitCodeFrom) : exitCode));
      } else if (running.size === 0 && !aborting) resolve(opts.exitCodeFrom ? exitCodes.get(opts.exitCodeFrom) ?? 0 : 0);
    });
    if (running.size === 0) resolve(0);
  });
  opts.exits.close();
  await Promise.race([Promise.all(streams), new Promise((r) => setTimeout(r, 500))]);
  return outcome;
}

/** The exit code of the service's first container, after it was stopped. */
async function exitCodeOf(ctx: ComposeContext, containers: ActualContainer[], service: string): Promise<number> {
  const container = containers.find((c) => c.service === service);
  if (!container) return 0;
  return ((await ctx.engine.inspectContainer(container.id)).State as { ExitCode: number }).ExitCode;
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
    // as docker compose: a container's stderr lines go to our stderr, its stdout lines to our stdout
    line: (c, text, stream) => (stream === 'stderr' ? io.streams.err : io.streams.out).write(`${prefix(c)}${text}\n`),
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

