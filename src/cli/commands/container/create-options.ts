import { Command, Option } from 'commander';
import type { CreateContainerBody, HostConfig, MountConfig } from '../../../engine/api/docker-types.js';
import { parsePortSpec } from '../../../compose/canonical/ports.js';
import { UserError } from '../../../errors.js';
import { parseBytes } from '../../../util/units.js';

/** The flags `container run` and `container create` share (docker's names). */
export interface CreateFlags {
  detach?: boolean;
  rm: boolean;
  env: string[];
  workdir?: string;
  user?: string;
  name?: string;
  label: string[];
  entrypoint?: string;
  hostname?: string;
  memory?: string;
  memoryReservation?: string;
  memorySwap?: string;
  cpus?: string;
  cpuShares?: string;
  pidsLimit?: string;
  readOnly: boolean;
  tmpfs: string[];
  volume: string[];
  init: boolean;
  stopSignal?: string;
  stopTimeout?: string;
  capAdd: string[];
  capDrop: string[];
  privileged: boolean;
  interactive: boolean;
  tty: boolean;
  ulimit: string[];
  sysctl: string[];
  restart?: string;
  network: string[];
  ipc?: string;
  networkAlias: string[];
  ip?: string;
  macAddress?: string;
  publish: string[];
  publishAll: boolean;
  expose: string[];
  mount: string[];
  volumesFrom: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOption: string[];
  addHost: string[];
  groupAdd: string[];
  logOpt: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addCreateOptions(command: Command): Command {
  return command
    .option('--rm', 'Automatically remove the container when it exits', false)
    .option('-e, --env <KEY=VALUE>', 'Set environment variables', collect, [])
    .option('-w, --workdir <dir>', 'Working directory inside the container')
    .option('-u, --user <user>', 'Username or UID (format: <name|uid>[:<group|gid>])')
    .option('--name <name>', 'Assign a name to the container')
    .option('-l, --label <KEY=VALUE>', 'Set meta data on a container', collect, [])
    .option('--entrypoint <cmd>', 'Overwrite the default ENTRYPOINT of the image')
    .option('-h, --hostname <name>', 'Container host name')
    .option('-m, --memory <bytes>', 'Memory limit')
    .option('--memory-reservation <bytes>', 'Memory soft limit')
    .option('--memory-swap <bytes>', 'Swap limit equal to memory plus swap: -1 to enable unlimited swap')
    .option('--cpus <n>', 'Number of CPUs')
    .option('-c, --cpu-shares <n>', 'CPU shares (relative weight)')
    .option('--pids-limit <n>', 'Tune container pids limit (-1 for unlimited)')
    .option('--read-only', "Mount the container's root filesystem as read only", false)
    .option('--tmpfs <path[:options]>', 'Mount a tmpfs directory', collect, [])
    .option('-v, --volume <src:dst[:ro]>', 'Bind mount a volume', collect, [])
    .option('--init', 'Run an init inside the container that forwards signals and reaps processes', false)
    .option('--stop-signal <signal>', 'Signal to stop the container')
    .option('--stop-timeout <seconds>', 'Timeout (in seconds) to stop a container')
    .option('--cap-add <cap>', 'Add Linux capabilities', collect, [])
    .option('--cap-drop <cap>', 'Drop Linux capabilities', collect, [])
    .option('--privileged', 'Give extended privileges to this container', false)
    .option('-i, --interactive', 'Keep STDIN open even if not attached', false)
    .option('-t, --tty', 'Allocate a pseudo-TTY', false)
    .option('--ulimit <name=soft[:hard]>', 'Ulimit options', collect, [])
    .option('--sysctl <key=value>', 'Sysctl options', collect, [])
    .option('--group-add <group>', 'Add additional groups to join', collect, [])
    .option('--log-opt <key=value>', 'Log driver options', collect, [])
    .addOption(new Option('--restart <policy>', 'Restart policy to apply when a container exits'))
    .option('--ipc <mode>', 'IPC mode to use (private, shareable, host, container:NAME)')
    .option('--network <network>', 'Connect a container to a network (a name, host, none, container:NAME)', collect, [])
    .option('--network-alias <alias>', 'Add network-scoped alias for the container', collect, [])
    .option('--ip <address>', 'IPv4 address (e.g., 172.30.100.104)')
    .option('--mac-address <address>', 'Container MAC address (e.g., 92:d0:c6:0a:29:33)')
    .option('-p, --publish <[ip:]host:container[/proto]>', "Publish a container's port(s) to the host", collect, [])
    .option('-P, --publish-all', 'Publish all exposed ports to random ports', false)
    .option('--expose <port>', 'Expose a port or a range of ports', collect, [])
    .option('--mount <spec>', 'Attach a filesystem mount to the container (type=bind|volume|tmpfs,source=,target=,readonly)', collect, [])
    .option('--volumes-from <container[:ro|rw]>', 'Mount volumes from the specified container(s)', collect, [])
    .option('--dns <ip>', 'Set custom DNS servers', collect, [])
    .option('--dns-search <domain>', 'Set custom DNS search domains', collect, [])
    .option('--dns-option <option>', 'Set DNS options', collect, [])
    .option('--add-host <host:ip>', 'Add a custom host-to-IP mapping (host:ip)', collect, []);
}

/** Docker CLI's translation of flags into the create request. */
export function createBody(image: string, command: string[], flags: CreateFlags): CreateContainerBody {
  const hostConfig: HostConfig = {
    AutoRemove: flags.rm,
    Binds: flags.volume,
    Tmpfs: Object.fromEntries(flags.tmpfs.map((t) => splitOnce(t, ':'))),
    ReadonlyRootfs: flags.readOnly,
    Init: flags.init || null,
    CapAdd: flags.capAdd,
    CapDrop: flags.capDrop,
    Privileged: flags.privileged,
    Ulimits: flags.ulimit.map(parseUlimit),
    Sysctls: Object.fromEntries(flags.sysctl.map((s) => splitOnce(s, '='))),
    GroupAdd: flags.groupAdd,
    LogConfig: { Type: 'json-file', Config: Object.fromEntries(flags.logOpt.map((o) => splitOnce(o, '='))) },
    ...resourceLimits(flags),
    ...(flags.restart ? { RestartPolicy: parseRestart(flags.restart) } : {}),
    ...(flags.network.length > 0 ? { NetworkMode: flags.network[0]! } : {}),
    ...(flags.ipc ? { IpcMode: flags.ipc } : {}),
    ...portBindingsOf(flags.publish),
    PublishAllPorts: flags.publishAll,
    Mounts: flags.mount.map(parseMount),
    VolumesFrom: flags.volumesFrom,
    Dns: flags.dns,
    DnsSearch: flags.dnsSearch,
    DnsOptions: flags.dnsOption,
    ExtraHosts: flags.addHost.map((h) => h.replace(/^([^:=]+)[:=]/, '$1:')),
  };
  return {
    Image: image,
    ...(command.length > 0 ? { Cmd: command } : {}),
    ...(flags.entrypoint !== undefined ? { Entrypoint: flags.entrypoint === '' ? [] : [flags.entrypoint] } : {}),
    Env: flags.env,
    ...(flags.workdir ? { WorkingDir: flags.workdir } : {}),
    ...(flags.user ? { User: flags.user } : {}),
    ...(flags.hostname ? { Hostname: flags.hostname } : {}),
    Labels: Object.fromEntries(flags.label.map((l) => splitOnce(l, '='))),
    Tty: flags.tty,
    OpenStdin: flags.interactive,
    StdinOnce: flags.interactive && !flags.detach,
    AttachStdin: flags.interactive && !flags.detach,
    AttachStdout: !flags.detach,
    AttachStderr: !flags.detach,
    ...(flags.stopSignal ? { StopSignal: flags.stopSignal } : {}),
    ...(flags.stopTimeout ? { StopTimeout: integer(flags.stopTimeout, '--stop-timeout') } : {}),
    ...(flags.macAddress ? { MacAddress: flags.macAddress } : {}),
    ExposedPorts: Object.fromEntries([...flags.expose.map((e) => (e.includes('/') ? e : `${e}/tcp`)), ...Object.keys(hostConfig.PortBindings ?? {})].map((p) => [p, {}])),
    HostConfig: hostConfig,
    ...networkingConfigOf(flags),
  };
}

/** Every --network gets an endpoint; aliases and --ip go to the first, as docker run does. */
function networkingConfigOf(flags: CreateFlags): Pick<CreateContainerBody, 'NetworkingConfig'> {
  const named = flags.network.filter((n) => !['host', 'none', 'bridge', 'default'].includes(n) && !n.startsWith('container:'));
  if (named.length === 0) return {};
  const endpoints = Object.fromEntries(
    named.map((name, i) => [
      name,
      i === 0 ? { Aliases: flags.networkAlias, ...(flags.ip ? { IPAMConfig: { IPv4Address: flags.ip } } : {}), ...(flags.macAddress ? { MacAddress: flags.macAddress } : {}) } : {},
    ]),
  );
  return { NetworkingConfig: { EndpointsConfig: endpoints } };
}

/** `-p [ip:]host:container[/proto]` (ranges too) as Docker's PortBindings, through the compose port parser. */
function portBindingsOf(specs: string[]): Pick<HostConfig, 'PortBindings'> {
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const spec of specs) {
    for (const port of parsePortSpec(spec)) {
      const key = `${port.target}/${port.protocol ?? 'tcp'}`;
      (bindings[key] ??= []).push({ HostIp: port.host_ip ?? '', HostPort: port.published ?? '' });
    }
  }
  return specs.length ? { PortBindings: bindings } : {};
}

/** `--mount type=bind,source=/a,target=/b,readonly` (also src/dst/destination, ro, type=image with image-subpath; volume-opt is not taken yet). */
export function parseMount(spec: string): MountConfig {
  const fields = new Map(spec.split(',').map((part) => {
    const [key = '', value = 'true'] = splitOnce(part, '=');
    return [key.trim(), value] as [string, string];
  }));
  const type = (fields.get('type') ?? 'volume') as MountConfig['Type'];
  if (!['bind', 'volume', 'tmpfs', 'image'].includes(type)) throw new UserError(`invalid mount config for type "${type}"`);
  const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
  if (!target) throw new UserError(`invalid mount config: target is required: ${spec}`);
  const source = fields.get('source') ?? fields.get('src');
  const readOnly = ['readonly', 'ro'].some((k) => fields.has(k) && fields.get(k) !== 'false');
  return {
    Type: type,
    Target: target,
    ...(source ? { Source: source } : {}),
    ...(readOnly ? { ReadOnly: true } : {}),
    ...(type === 'tmpfs' && fields.has('tmpfs-size') ? { TmpfsOptions: { SizeBytes: bytes(fields.get('tmpfs-size')!, '--mount tmpfs-size') } } : {}),
    ...(type === 'image' && fields.has('image-subpath') ? { ImageOptions: { Subpath: fields.get('image-subpath')! } } : {}),
  };
}

function resourceLimits(flags: CreateFlags): Partial<HostConfig> {
  const limits: Partial<HostConfig> = {};
  if (flags.memory) limits.Memory = bytes(flags.memory, '--memory');
  if (flags.memoryReservation) limits.MemoryReservation = bytes(flags.memoryReservation, '--memory-reservation');
  if (flags.memorySwap) limits.MemorySwap = flags.memorySwap === '-1' ? -1 : bytes(flags.memorySwap, '--memory-swap');
  if (flags.cpus) {
    const cpus = Number(flags.cpus);
    if (!(cpus > 0)) throw new UserError(`invalid argument "${flags.cpus}" for "--cpus" flag: must be a positive number`);
    limits.NanoCpus = Math.round(cpus * 1e9);
  }
  if (flags.cpuShares) limits.CpuShares = integer(flags.cpuShares, '--cpu-shares');
  if (flags.pidsLimit) limits.PidsLimit = integer(flags.pidsLimit, '--pids-limit');
  return limits;
}

export function parseRestart(value: string): NonNullable<HostConfig['RestartPolicy']> {
  const [name = '', count] = value.split(':');
  if (!['no', 'always', 'unless-stopped', 'on-failure'].includes(name)) throw new UserError(`invalid restart policy: ${value}`);
  return { Name: name as 'no', ...(count ? { MaximumRetryCount: integer(count, '--restart') } : {}) };
}

function parseUlimit(value: string): { Name: string; Soft: number; Hard: number } {
  const [name, limits = ''] = splitOnce(value, '=');
  const [soft = '', hard = soft] = limits.split(':');
  return { Name: name, Soft: integer(soft, '--ulimit'), Hard: integer(hard, '--ulimit') };
}

function bytes(value: string, flag: string): number {
  const n = parseBytes(value);
  if (n === undefined) throw new UserError(`invalid argument "${value}" for "${flag}" flag: invalid size`);
  return n;
}

function integer(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UserError(`invalid argument "${value}" for "${flag}" flag: not an integer`);
  return n;
}

function splitOnce(value: string, sep: string): [string, string] {
  const at = value.indexOf(sep);
  return at < 0 ? [value, ''] : [value.slice(0, at), value.slice(at + sep.length)];
}
