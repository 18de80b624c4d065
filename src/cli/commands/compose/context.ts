import type { Command } from 'commander';
import type { EngineApi } from '../../../engine/client/engine-api.js';
import type { LoadedProject } from '../../../compose/loader.js';
import { desiredProject, type DesiredProject } from '../../../compose/project/desired.js';
import { jsonProgress, plainProgress, quietProgress, type ProgressSink } from '../../../compose/project/progress.js';
import { cachedProject, loadAndCache } from '../../../compose/model-cache.js';
import { connectEngine } from '../../engine-connection.js';
import { globalFlags, loadOptions } from '../../global-options.js';
import { warnTo, type CliIO } from '../../io.js';
import { modelCachePlace } from '../../model-cache-place.js';
import { ttyProgress } from './tty-progress.js';

/** What every compose command starts from: the loaded project and the engine. */
export interface ComposeContext {
  project: LoadedProject;
  engine: EngineApi;
  progress: ProgressSink;
  warn: (message: string) => void;
  dryRun: boolean;
  concurrency?: number;
  finishProgress: () => void;
  /** The model as `up` wants it (names follow --compatibility). */
  desired: (scale?: Record<string, number>) => DesiredProject;
  allResources: boolean;
  /** Where a build's own lines go: stderr with plain progress, nowhere when a live view or JSON shows progress. */
  buildOutput?: (text: string) => void;
}

export async function composeContext(io: CliIO, command: Command, services: string[] = [], opts: { allowNoFiles?: boolean } = {}): Promise<ComposeContext> {
  const flags = globalFlags(command);
  const options = loadOptions(flags, io, { services, ...(opts.allowNoFiles ? { allowNoFiles: true } : {}) });
  const cache = modelCachePlace(io.env);
  let project = cache && cachedProject(options, cache);
  if (!project) {
    const { loadProject } = await import('../../../compose/loader.js'); // only now: its schemas take a while to build
    project = cache ? loadAndCache(options, cache, loadProject) : loadProject(options);
  }
  const engine = await connectEngine(io);
  const { sink, finish, plain } = progressFor(flags.progress, io);
  const parallel = Number(flags.parallel ?? io.env.COMPOSE_PARALLEL_LIMIT ?? 0);
  return {
    project,
    engine,
    progress: sink,
    finishProgress: finish,
    warn: warnTo(io),
    dryRun: flags.dryRun,
    allResources: flags.allResources,
    desired: (scale = {}) => desiredProject(project, scale, { compatibility: flags.compatibility }),
    ...(parallel > 0 ? { concurrency: parallel } : {}),
    ...(plain ? { buildOutput: (text: string) => void io.streams.err.write(text) } : {}),
  };
}

/** listr2-style live list in a terminal (`auto`/`tty`), lines otherwise (`plain`), JSON lines, or nothing. */
function progressFor(mode: string, io: CliIO): { sink: ProgressSink; finish: () => void; plain?: boolean } {
  const write = (text: string): void => void io.streams.err.write(text);
  if (mode === 'quiet') return { sink: quietProgress, finish: () => undefined };
  if (mode === 'json') return { sink: jsonProgress(write), finish: () => undefined };
  if (mode === 'plain' || (mode === 'auto' && !io.streams.err.isTTY)) return { sink: plainProgress(write), finish: () => undefined, plain: true };
  return ttyProgress(io.streams.err);
}

/** Services named on the command line, or all of the project's. */
export function servicesOrAll(ctx: ComposeContext, services: string[]): string[] {
  return services.length > 0 ? services : Object.keys((ctx.project.model.services ?? {}) as object);
}
