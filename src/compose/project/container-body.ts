import type { CreateContainerBody, EndpointConfig, HostConfig, MountConfig } from '../../engine/api/docker-types.js';
import { parseBytes, parseDuration } from '../emit/go-values.js';
import { isDict, type Dict } from '../types.js';
import { UserError } from '../../errors.js';

/** Where a service's attributes go in Docker's create request. */
interface Target {
  body: CreateContainerBody;
  host: HostConfig;
  ctx: BodyContext;
}

/** What the translation needs besides the service: real names of the project's networks and volumes. */
export interface BodyContext {
  project: string;
  serviceName: string;
  containerName: string;
  networkNames: Record<string, string>; // compose key → engine name (`project_default`)
  volumeNames: Record<string, string>; // compose key → engine name
  containerIdOf?: (service: string) => string | undefined; // for network_mode/volumes_from `service:x`
}

type Rule = (value: unknown, t: Target, service: Dict) => void;

const nanos = (v: unknown): number => Number(parseDuration(v as string));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);
const mapOfStrings = (v: unknown): Record<string, string> =>
  isDict(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, String(x)])) : {};

/** One rule per compose attribute (after `config` rendering: long forms, durations as text, sizes in bytes). */
const RULES: Record<string, Rule> = {
  image: (v, t) => (t.body.Image = String(v)),
  command: (v, t) => (t.body.Cmd = strings(v)),
  entrypoint: (v, t) => (t.body.Entrypoint = strings(v)),
  // a variable left unset (`- NAME` with NAME not set) goes as a bare NAME: the engine then unsets the image's value, as Docker does
  environment: (v, t) => (t.body.Env = Object.entries(isDict(v) ? v : {}).map(([k, x]) => (x === null ? k : `${k}=${String(x)}`))),
  working_dir: (v, t) => (t.body.WorkingDir = String(v)),
  user: (v, t) => (t.body.User = String(v)),
  hostname: (v, t) => (t.body.Hostname = String(v)),
  domainname: (v, t) => (t.body.Domainname = String(v)),
  tty: (v, t) => (t.body.Tty = v === true),
  stdin_open: (v, t) => (t.body.OpenStdin = v === true),
  stop_signal: (v, t) => (t.body.StopSignal = String(v)),
  stop_grace_period: (v, t) => (t.body.StopTimeout = Math.round(nanos(v) / 1e9)),
  mac_address: (v, t) => (t.body.MacAddress = String(v)),
  expose: (v, t) => addExposed(t.body, strings(v).map((p) => (p.includes('/') ? p : `${p}/tcp`))),
  healthcheck: (v, t) => (t.body.Healthcheck = healthcheckOf(v as Dict)),
  privileged: (v, t) => (t.host.Privileged = v === true),
  read_only: (v, t) => (t.host.ReadonlyRootfs = v === true),
  init: (v, t) => (t.host.Init = v === true),
  cap_add: (v, t) => (t.host.CapAdd = strings(v)),
  cap_drop: (v, t) => (t.host.CapDrop = strings(v)),
  security_opt: (v, t) => (t.host.SecurityOpt = strings(v)),
  group_add: (v, t) => (t.host.GroupAdd = strings(v)),
  dns: (v, t) => (t.host.Dns = strings(v)),
  dns_search: (v, t) => (t.host.DnsSearch = strings(v)),
  dns_opt: (v, t) => (t.host.DnsOptions = strings(v)),
  extra_hosts: (v, t) => (t.host.ExtraHosts = strings(v).map((h) => h.replace('=', ':'))),
  sysctls: (v, t) => (t.host.Sysctls = mapOfStrings(v)),
  tmpfs: (v, t) => (t.host.Tmpfs = Object.fromEntries(strings(v).map((p) => { const [path = '', opts = ''] = p.split(/:(.*)/s); return [path, opts]; }))),
  mem_limit: (v, t) => (t.host.Memory = parseBytes(v as string)),
  mem_reservation: (v, t) => (t.host.MemoryReservation = parseBytes(v as string)),
  memswap_limit: (v, t) => (t.host.MemorySwap = v === -1 || v === '-1' ? -1 : parseBytes(v as string)),
  cpus: (v, t) => (t.host.NanoCpus = Math.round(Number(v) * 1e9)),
  cpu_shares: (v, t) => (t.host.CpuShares = Number(v)),
  cpu_quota: (v, t) => (t.host.CpuQuota = Number(v)),
  cpu_period: (v, t) => (t.host.CpuPeriod = Number(v)),
  cpuset: (v, t) => (t.host.CpusetCpus = String(v)),
  pids_limit: (v, t) => (t.host.PidsLimit = Number(v)),
  shm_size: (v, t) => (t.host.ShmSize = parseBytes(v as string)),
  ulimits: (v, t) => (t.host.Ulimits = Object.entries(isDict(v) ? v : {}).map(([name, l]) => (isDict(l) ? { Name: name, Soft: Number(l.soft), Hard: Number(l.hard) } : { Name: name, Soft: Number(l), Hard: Number(l) }))),
  restart: (v, t) => (t.host.RestartPolicy = restartOf(String(v))),
  logging: (v, t) => (t.host.LogConfig = { Type: String((v as Dict).driver ?? 'json-file'), Config: mapOfStrings((v as Dict).options) }),
  ports: (v, t) => publish(t, v as Dict[]),
  volumes: (v, t) => (t.host.Mounts = [...(t.host.Mounts ?? []), ...(v as Dict[]).map((m) => mountOf(m, t.ctx))]),
  volumes_from: (v, t) => (t.host.VolumesFrom = strings(v).map((s) => volumesFromOf(s, t.ctx))),
  links: (v, t, service) => (t.host.Links = strings(v).map((l) => linkOf(l, t.ctx, service))),
  network_mode: (v, t) => (t.host.NetworkMode = sharedModeOf(String(v), t.ctx, 'network')),
  ipc: (v, t) => (t.host.IpcMode = sharedModeOf(String(v), t.ctx, 'IPC')),
  networks: (v, t, service) => attachNetworks(t, v as Dict, service),
  deploy: (v, t) => deployOf(v as Dict, t),
};

/** `docker compose` translation of a service to the engine's create request (labels are added by the caller). */
export function createBodyOf(service: Dict, ctx: BodyContext): CreateContainerBody {
  const host: HostConfig = { NetworkMode: '' };
  const body: CreateContainerBody = { Image: '', Labels: {}, HostConfig: host };
  const target: Target = { body, host, ctx };
  for (const [key, value] of Object.entries(service)) {
    if (value === undefined || value === null) continue;
    RULES[key]?.(value, target, service);
  }
  if (!host.NetworkMode) host.NetworkMode = ctx.networkNames.default ?? 'none';
  return body;
}

function healthcheckOf(h: Dict): NonNullable<CreateContainerBody['Healthcheck']> {
  if (h.disable === true) return { Test: ['NONE'] };
  return {
    ...(h.test !== undefined ? { Test: strings(h.test) } : {}),
    ...(h.interval ? { Interval: nanos(h.interval) } : {}),
    ...(h.timeout ? { Timeout: nanos(h.timeout) } : {}),
    ...(h.retries !== undefined ? { Retries: Number(h.retries) } : {}),
    ...(h.start_period ? { StartPeriod: nanos(h.start_period) } : {}),
    ...(h.start_interval ? { StartInterval: nanos(h.start_interval) } : {}),
  };
}

function restartOf(policy: string): HostConfig['RestartPolicy'] {
  const [name = 'no', count] = policy.split(':');
  return { Name: name as 'no', ...(count ? { MaximumRetryCount: Number(count) } : {}) };
}

function addExposed(body: CreateContainerBody, ports: string[]): void {
  body.ExposedPorts = { ...(body.ExposedPorts ?? {}), ...Object.fromEntries(ports.map((p) => [p, {}])) };
}

function publish(t: Target, ports: Dict[]): void {
  const bindings: NonNullable<HostConfig['PortBindings']> = { ...(t.host.PortBindings ?? {}) };
  for (const p of ports) {
    const key = `${p.target}/${p.protocol ?? 'tcp'}`;
    const list = bindings[key] ?? [];
    list.push({ HostIp: String(p.host_ip ?? ''), HostPort: String(p.published ?? '') });
    bindings[key] = list;
  }
  t.host.PortBindings = bindings;
  addExposed(t.body, Object.keys(bindings));
}

function mountOf(m: Dict, ctx: BodyContext): MountConfig {
  const type = String(m.type) as MountConfig['Type'];
  const source = type === 'volume' && typeof m.source === 'string' ? (ctx.volumeNames[m.source] ?? m.source) : (m.source as string | undefined);
  const mount: MountConfig = { Type: type, Target: String(m.target), ...(source ? { Source: source } : {}), ...(m.read_only ? { ReadOnly: true } : {}) };
  if (type === 'bind' && isDict(m.bind)) mount.BindOptions = { CreateMountpoint: m.bind.create_host_path !== false, ...(m.bind.propagation ? { Propagation: String(m.bind.propagation) } : {}) };
  if (type === 'tmpfs' && isDict(m.tmpfs)) mount.TmpfsOptions = { ...(m.tmpfs.size ? { SizeBytes: parseBytes(m.tmpfs.size as string) } : {}), ...(m.tmpfs.mode ? { Mode: Number(m.tmpfs.mode) } : {}) };
  if (type === 'image') {
    mount.ReadOnly = true;
    if (isDict(m.image) && m.image.subpath) mount.ImageOptions = { Subpath: String(m.image.subpath) };
  }
  if (type === 'volume' && isDict(m.volume) && m.volume.nocopy) (mount as MountConfig & { VolumeOptions?: object }).VolumeOptions = { NoCopy: true };
  return mount;
}

/** `network_mode: service:db` / `ipc: service:db` mean the container of that service (the engine knows containers only). */
function sharedModeOf(value: string, ctx: BodyContext, what: 'network' | 'IPC'): string {
  if (!value.startsWith('service:')) return value;
  const service = value.slice('service:'.length);
  const id = ctx.containerIdOf?.(service);
  if (!id) throw new UserError(`cannot share ${what} namespace with service ${service}: container missing`);
  return `container:${id}`;
}

/** `links: [db]` / `[db:alias]` as Docker's `container:alias`, for the default bridge (no DNS there). */
function linkOf(link: string, ctx: BodyContext, _service: Dict): string {
  const [service = '', alias = service] = link.split(':');
  return `${ctx.containerIdOf?.(service) ?? service}:${alias}`;
}

/** `volumes_from`: `service[:ro|rw]` or `container:name[:ro|rw]`, as Docker's `name[:ro|rw]`. */
function volumesFromOf(value: string, ctx: BodyContext): string {
  if (value.startsWith('container:')) return value.slice('container:'.length);
  const [service = '', mode] = value.split(':');
  const id = ctx.containerIdOf?.(service);
  if (!id) throw new UserError(`cannot share volume with service ${service}: container missing`);
  return mode ? `${id}:${mode}` : id;
}

function attachNetworks(t: Target, networks: Dict, service: Dict): void {
  if (service.network_mode !== undefined) return;
  const entries = Object.entries(networks).sort(([a, x], [b, y]) => priorityOf(y) - priorityOf(x) || (a < b ? -1 : 1));
  const endpoints: Record<string, EndpointConfig> = {};
  for (const [key, settings] of entries) {
    const name = t.ctx.networkNames[key] ?? key;
    const s = isDict(settings) ? settings : {};
    endpoints[name] = {
      Aliases: [t.ctx.serviceName, ...strings(s.aliases)],
      ...(s.ipv4_address ? { IPAMConfig: { IPv4Address: String(s.ipv4_address) } } : {}),
      ...(s.mac_address ? { MacAddress: String(s.mac_address) } : {}),
      ...(s.interface_name ? { DriverOpts: { 'com.docker.network.endpoint.ifname': String(s.interface_name) } } : {}),
    };
  }
  const first = Object.keys(endpoints)[0];
  if (first) t.host.NetworkMode = first;
  t.body.NetworkingConfig = { EndpointsConfig: endpoints };
}

function priorityOf(settings: unknown): number {
  return isDict(settings) && typeof settings.priority === 'number' ? settings.priority : 0;
}

/** deploy.resources and deploy.restart_policy, as docker compose applies them to a single engine. */
function deployOf(deploy: Dict, t: Target): void {
  const limits = isDict(deploy.resources) && isDict(deploy.resources.limits) ? deploy.resources.limits : {};
  if (limits.memory !== undefined) t.host.Memory = parseBytes(limits.memory as string);
  if (limits.cpus !== undefined) t.host.NanoCpus = Math.round(Number(limits.cpus) * 1e9);
  if (limits.pids !== undefined) t.host.PidsLimit = Number(limits.pids);
  const reservations = isDict(deploy.resources) && isDict(deploy.resources.reservations) ? deploy.resources.reservations : {};
  if (reservations.memory !== undefined) t.host.MemoryReservation = parseBytes(reservations.memory as string);
  const restart = isDict(deploy.restart_policy) ? deploy.restart_policy : undefined;
  if (restart && !t.host.RestartPolicy) {
    const condition = String(restart.condition ?? 'any');
    t.host.RestartPolicy = { Name: condition === 'none' ? 'no' : condition === 'on-failure' ? 'on-failure' : 'always', ...(restart.max_attempts ? { MaximumRetryCount: Number(restart.max_attempts) } : {}) };
  }
}
