import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badRequest, notFound } from '../../api/http.js';
import type { ContainerConfig, CreateContainerBody, HostConfig } from '../../api/docker-types.js';
import type { EngineContext } from '../../context.js';
import { logOptionsOf } from '../log-options.js';
import { checkIpcMode } from '../ipc-mode.js';
import { generateName, isValidName } from '../names.js';
import { containerPaths } from '../paths.js';
import { initialState, type ContainerRecord } from '../record.js';

/** POST /containers/create: records the container and prepares its folder; nothing runs yet. */
export function createContainer(engine: EngineContext, body: CreateContainerBody, requestedName?: string): ContainerRecord {
  if (!body.Image) throw badRequest('config: Image is required');
  const image = engine.images.resolve(body.Image);
  if (!image) throw notFound(`No such image: ${body.Image}`);
  if (requestedName && !isValidName(requestedName)) {
    throw badRequest(`Invalid container name (${requestedName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  const { HostConfig: hostConfig = {}, NetworkingConfig: networkingConfig = {}, ...config } = body;
  const imageConfig = (image.config.config ?? {}) as ContainerConfig;
  logOptionsOf({ hostConfig: hostConfig as HostConfig });
  (hostConfig as HostConfig).IpcMode = checkIpcMode((hostConfig as HostConfig).IpcMode);
  const command = commandOf(config, imageConfig);
  if (command.length === 0) throw badRequest('no command specified');
  const id = randomBytes(32).toString('hex');
  const folder = join(engine.containers.dir, id);
  const record: ContainerRecord = {
    id,
    name: requestedName?.replace(/^\//, '') ?? generateName((n) => engine.containers.byName(n) !== undefined),
    created: new Date().toISOString(),
    imageId: image.id,
    imageRef: body.Image,
    path: command[0]!,
    args: command.slice(1),
    config: withImageDefaults(config, imageConfig),
    hostConfig: hostConfig as HostConfig,
    networkingConfig,
    state: initialState(),
    restartCount: 0,
    logPath: join(folder, `${id}-json.log`),
  };
  engine.networks.validate(record);
  engine.volumes.prepare(record, Object.keys(imageConfig.Volumes ?? {}));
  try {
    engine.containers.add(record);
  } catch (e) {
    engine.volumes.release(record, true); // the anonymous volumes made for it go with it
    throw e;
  }
  prepareFolder(record);
  engine.outputs.set(id, new EventEmitter().setMaxListeners(0));
  engine.events.container(record, 'create');
  return record;
}

/** Docker's rule: an entrypoint given at create time drops the image's CMD unless a CMD is given too. */
export function commandOf(config: ContainerConfig, image: ContainerConfig): string[] {
  const entrypoint = config.Entrypoint !== undefined && config.Entrypoint !== null ? config.Entrypoint : image.Entrypoint ?? [];
  const entrypointGiven = config.Entrypoint !== undefined && config.Entrypoint !== null;
  const cmd = config.Cmd && config.Cmd.length > 0 ? config.Cmd : entrypointGiven ? [] : image.Cmd ?? [];
  return [...(entrypoint ?? []), ...cmd];
}

/** What inspect shows under Config: the request, completed by the image's defaults (as Docker does). */
function withImageDefaults(config: ContainerConfig, image: ContainerConfig): ContainerConfig {
  return {
    ...config,
    Env: config.Env ?? image.Env ?? [],
    Cmd: config.Cmd && config.Cmd.length > 0 ? config.Cmd : config.Entrypoint ? [] : image.Cmd ?? [],
    Entrypoint: config.Entrypoint ?? image.Entrypoint ?? null,
    WorkingDir: config.WorkingDir || image.WorkingDir || '',
    User: config.User || image.User || '',
    Labels: { ...(image.Labels ?? {}), ...(config.Labels ?? {}) },
    StopSignal: config.StopSignal || image.StopSignal || 'SIGTERM',
    ...(config.Healthcheck ?? image.Healthcheck ? { Healthcheck: config.Healthcheck ?? image.Healthcheck } : {}),
  };
}

/** The container's writable layer, overlay work dir, mount point and the /etc files it will see. */
function prepareFolder(record: ContainerRecord): void {
  const paths = containerPaths(record);
  for (const dir of [paths.upperDir, paths.workDir, paths.rootfs]) mkdirSync(dir, { recursive: true });
  const hostname = record.config.Hostname || record.id.slice(0, 12);
  writeFileSync(paths.hostnameFile, `${hostname}\n`);
  writeFileSync(paths.hostsFile, ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `127.0.1.1\t${hostname}`, ''].join('\n'));
  writeFileSync(paths.resolvConfFile, hostResolvConf());
}

/** Until networks exist, a container resolves as its host does (minus loopback resolvers, unreachable from its netns). */
function hostResolvConf(): string {
  let text = '';
  try {
    text = readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
  return text
    .split('\n')
    .filter((line) => !/^\s*nameserver\s+(127\.|::1)/.test(line))
    .join('\n');
}
