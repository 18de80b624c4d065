import type { EngineApi } from '../../engine/client/engine-api.js';
import { UserError } from '../../errors.js';
import { decodeFrames } from '../../engine/logs/stream-framing.js';
import type { ProgressSink } from './progress.js';

const POLL_MS = 100;

interface ContainerState {
  Status: string;
  ExitCode: number;
  Health?: { Status: string; Log?: Array<{ Output: string }> };
}

/**
 * A `depends_on` condition of one dependency container: `service_healthy` waits for its healthcheck,
 * `service_completed_successfully` for exit code 0; either failing fails `up` with the reason and last log lines.
 */
export async function waitForCondition(engine: EngineApi, container: { id: string; name: string }, condition: string, progress: ProgressSink, signal?: AbortSignal): Promise<void> {
  if (condition === 'service_started') return;
  progress({ kind: 'Container', name: container.name, status: 'Waiting' });
  for (;;) {
    if (signal?.aborted) throw new UserError('interrupted');
    const state = (await engine.inspectContainer(container.id)).State as unknown as ContainerState;
    const verdict = condition === 'service_healthy' ? healthVerdict(container.name, state) : completionVerdict(container.name, state);
    if (verdict === 'ok') {
      progress({ kind: 'Container', name: container.name, status: condition === 'service_healthy' ? 'Healthy' : 'Exited', done: true });
      return;
    }
    if (verdict !== 'wait') throw new UserError(`${verdict}${await lastLogLines(engine, container.id)}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function healthVerdict(name: string, state: ContainerState): 'ok' | 'wait' | string {
  if (state.Status === 'exited' || state.Status === 'dead') return `dependency failed to start: container ${name} exited (${state.ExitCode})`;
  if (!state.Health) return `dependency failed to start: container ${name} has no healthcheck configured`;
  if (state.Health.Status === 'healthy') return 'ok';
  if (state.Health.Status === 'unhealthy') return `dependency failed to start: container ${name} is unhealthy`;
  return 'wait';
}

function completionVerdict(name: string, state: ContainerState): 'ok' | 'wait' | string {
  if (state.Status !== 'exited' && state.Status !== 'dead') return 'wait';
  return state.ExitCode === 0 ? 'ok' : `service "${name}" didn't complete successfully: exit ${state.ExitCode}`;
}

/** The last lines of a failed dependency's log, so the reason is on screen without another command. */
async function lastLogLines(engine: EngineApi, id: string): Promise<string> {
  try {
    const res = await engine.logs(id, { tail: '5' });
    const chunks: Buffer[] = [];
    for await (const frame of decodeFrames(res)) chunks.push(frame.payload);
    const text = Buffer.concat(chunks).toString('utf8').trim();
    return text ? `\n--- last log lines ---\n${text}` : '';
  } catch {
    return '';
  }
}
