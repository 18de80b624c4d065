import type { MountPoint } from '../volumes/manager.js';
import type { ContainerRecord } from './record.js';

/** GET /containers/{id}/json: Docker's inspect shape. */
export function inspectView(record: ContainerRecord, imageId: string, mounts: MountPoint[]): Record<string, unknown> {
  const s = record.state;
  return {
    Id: record.id,
    Created: record.created,
    Path: record.path,
    Args: record.args,
    State: {
      Status: s.status,
      Running: s.status === 'running' || s.status === 'paused',
      Paused: s.status === 'paused',
      Restarting: s.status === 'restarting',
      OOMKilled: s.oomKilled,
      Dead: s.status === 'dead',
      Pid: s.pid,
      ExitCode: s.exitCode,
      Error: s.error,
      StartedAt: s.startedAt,
      FinishedAt: s.finishedAt,
      ...(s.health ? { Health: s.health } : {}),
    },
    Image: imageId,
    ResolvConfPath: `${record.logPath.replace(/[^/]+$/, '')}resolv.conf`,
    HostnamePath: `${record.logPath.replace(/[^/]+$/, '')}hostname`,
    HostsPath: `${record.logPath.replace(/[^/]+$/, '')}hosts`,
    LogPath: record.logPath,
    Name: `/${record.name}`,
    RestartCount: record.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    HostConfig: record.hostConfig,
    Config: { ...record.config, Image: record.imageRef },
    Mounts: mounts,
    NetworkSettings: record.networkSettings ?? { Networks: {}, Ports: {} },
  };
}

/** GET /containers/json: Docker's list entry. */
export function listView(record: ContainerRecord, now: Date, mounts: MountPoint[]): Record<string, unknown> {
  return {
    Id: record.id,
    Names: [`/${record.name}`],
    Image: record.imageRef,
    ImageID: record.imageId,
    Command: [record.path, ...record.args].map(quoteIfNeeded).join(' '),
    Created: Math.floor(Date.parse(record.created) / 1000),
    State: record.state.status,
    Status: statusText(record, now),
    Ports: portsView(record),
    Labels: record.config.Labels ?? {},
    Mounts: mounts,
    HostConfig: { NetworkMode: record.hostConfig.NetworkMode ?? 'default' },
    NetworkSettings: { Networks: record.networkSettings?.Networks ?? {} },
  };
}

/** "Up 5 seconds", "Exited (0) 3 minutes ago", "Created", "Up 2 minutes (Paused)", "Restarting (1) 2 seconds ago". */
export function statusText(record: ContainerRecord, now: Date): string {
  const s = record.state;
  const health = s.health && s.health.Status !== 'none' ? ` (${s.health.Status === 'starting' ? 'health: starting' : s.health.Status})` : '';
  switch (s.status) {
    case 'running':
      return `Up ${humanDuration(now.getTime() - Date.parse(s.startedAt))}${health}`;
    case 'paused':
      return `Up ${humanDuration(now.getTime() - Date.parse(s.startedAt))} (Paused)`;
    case 'restarting':
      return `Restarting (${s.exitCode}) ${humanDuration(now.getTime() - Date.parse(s.finishedAt))} ago`;
    case 'exited':
      return s.finishedAt.startsWith('0001') ? 'Created' : `Exited (${s.exitCode}) ${humanDuration(now.getTime() - Date.parse(s.finishedAt))} ago`;
    case 'created':
      return 'Created';
    case 'removing':
      return 'Removal In Progress';
    default:
      return 'Dead';
  }
}

/** Docker's go-units HumanDuration wording. */
export function humanDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  const days = Math.round(hours / 24);
  if (days < 14) return `${days} days`;
  if (days < 60) return `${Math.round(days / 7)} weeks`;
  if (days < 730) return `${Math.round(days / 30)} months`;
  return `${Math.round(days / 365)} years`;
}

/** /containers/json `Ports`: one entry per published binding, or per exposed port without one. */
function portsView(record: ContainerRecord): Array<Record<string, unknown>> {
  return Object.entries(record.networkSettings?.Ports ?? {}).flatMap(([key, bindings]) => {
    const [port, type = 'tcp'] = key.split('/');
    if (!bindings) return [{ PrivatePort: Number(port), Type: type }];
    return bindings.map((b) => ({ IP: b.HostIp, PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: type }));
  });
}

/** As Docker's list: an argument with a space in single quotes, nothing escaped. */
function quoteIfNeeded(arg: string): string {
  return arg.includes(' ') ? `'${arg}'` : arg;
}
