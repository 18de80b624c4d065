import type { EngineApi } from '../../engine/client/engine-api.js';
import { UserError } from '../../errors.js';
import { decodeFrames } from '../../engine/logs/stream-framing.js';
import { isDict, type Dict } from '../types.js';
import { createBodyOf } from './container-body.js';
import { resourceNames } from './create-container.js';
import type { DesiredProject, DesiredService } from './desired.js';
import { LABEL } from './labels.js';

const POLL_MS = 20;

/** A service's lifecycle hooks as the model has them (`post_start`, `pre_stop`: exec; `pre_start`: a container). */
function hooksOf(config: Dict, key: 'pre_start' | 'post_start' | 'pre_stop'): Dict[] {
  const hooks = config[key];
  return Array.isArray(hooks) ? hooks.filter(isDict) : [];
}

const commandOf = (hook: Dict): string[] => (Array.isArray(hook.command) ? hook.command.map(String) : typeof hook.command === 'string' ? ['/bin/sh', '-c', hook.command] : []);
const envOf = (hook: Dict): string[] => Object.entries(isDict(hook.environment) ? hook.environment : {}).map(([k, v]) => `${k}=${String(v ?? '')}`);

/**
 * `pre_start`: each hook runs in a container of its own (the hook's image, else the service's) with the service's
 * volumes and networks, in order, before the service's containers start; a failing one stops `up` there.
 */
export async function runPreStartHooks(engine: EngineApi, project: DesiredProject, service: DesiredService): Promise<void> {
  for (const [index, hook] of hooksOf(service.config, 'pre_start').entries()) {
    const body = createBodyOf({ ...service.config, command: commandOf(hook), entrypoint: [] }, { project: project.name, serviceName: service.name, containerName: `${project.name}-${service.name}-pre_start-${index}`, ...resourceNames(project) });
    body.Image = String(hook.image ?? service.image);
    body.Env = [...(body.Env ?? []), ...envOf(hook)];
    if (hook.user) body.User = String(hook.user);
    if (hook.working_dir) body.WorkingDir = String(hook.working_dir);
    body.Labels = { [LABEL.project]: project.name, [LABEL.service]: service.name, [LABEL.oneoff]: 'True', 'dev.tscompose.hook': `pre_start[${index}]` };
    body.HostConfig = { ...body.HostConfig, RestartPolicy: { Name: 'no' }, PortBindings: {} };
    const { Id } = await engine.createContainer(body);
    try {
      const exit = await engine.waitContainer(Id, 'next-exit');
      await engine.startContainer(Id);
      const { StatusCode } = await exit.result();
      if (StatusCode !== 0) throw new UserError(`service "${service.name}" pre_start[${index}] hook exited with status ${StatusCode}`);
    } finally {
      await engine.removeContainer(Id, { force: true }).catch(() => undefined);
    }
  }
}

/** `post_start` / `pre_stop`: commands exec'd in the container; a failure names the service and its exit status. */
export async function runExecHooks(engine: EngineApi, containerId: string, service: string, config: Dict, key: 'post_start' | 'pre_stop', onOutput?: (line: string) => void): Promise<void> {
  for (const hook of hooksOf(config, key)) {
    const { Id } = await engine.createExec(containerId, {
      Cmd: commandOf(hook),
      Env: envOf(hook),
      AttachStdout: onOutput !== undefined,
      AttachStderr: onOutput !== undefined,
      Privileged: hook.privileged === true,
      ...(hook.user ? { User: String(hook.user) } : {}),
      ...(hook.working_dir ? { WorkingDir: String(hook.working_dir) } : {}),
    });
    let code: number | null;
    try {
      if (onOutput) await relayOutput(await engine.startExecAttached(Id), onOutput);
      else await engine.startExecDetached(Id);
      code = await exitCodeOf(engine, Id);
    } catch {
      code = (await engine.inspectExec(Id).catch(() => undefined))?.ExitCode ?? 126;
    }
    if (code !== 0) throw new UserError(`${service} hook exited with status ${code}`);
  }
}

async function exitCodeOf(engine: EngineApi, execId: string): Promise<number | null> {
  for (;;) {
    const state = await engine.inspectExec(execId);
    if (!state.Running && state.ExitCode !== null) return state.ExitCode;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** A hook's output, line by line, when someone shows it (attached `up`: as the container's own log lines). */
async function relayOutput(socket: NodeJS.ReadableStream, onOutput: (line: string) => void): Promise<void> {
  let pending = '';
  for await (const frame of decodeFrames(socket as AsyncIterable<Buffer>)) {
    const lines = (pending + frame.payload.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onOutput(line);
  }
  if (pending) onOutput(pending);
}
