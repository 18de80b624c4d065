import type { ContainerRecord } from '../containers/record.js';
import type { NetworkSettings } from './manager.js';
import type { PortPublisher, PublishedPort, PublishRequest } from './services.js';

/** "80/tcp" → its port and protocol. */
function parsePortKey(key: string): { port: number; protocol: 'tcp' | 'udp' } {
  const [port, protocol = 'tcp'] = key.split('/');
  return { port: Number(port), protocol: protocol === 'udp' ? 'udp' : 'tcp' };
}

/** What to publish: PortBindings, plus every exposed port on a random host port with PublishAllPorts. */
export function publishRequests(record: ContainerRecord, targetIp: string): Array<{ key: string; request: PublishRequest; lastPort: number }> {
  const bindings = { ...(record.hostConfig.PortBindings ?? {}) };
  if (record.hostConfig.PublishAllPorts) {
    for (const key of Object.keys(record.config.ExposedPorts ?? {})) if (!bindings[key]?.length) bindings[key] = [{ HostIp: '', HostPort: '' }];
  }
  return Object.entries(bindings).flatMap(([key, list]) => {
    const { port, protocol } = parsePortKey(key);
    return (list ?? []).map((b) => {
      const [first, last] = hostPortRange(b.HostPort);
      return { key, request: { protocol, hostIp: b.HostIp ?? '', hostPort: first, targetIp, targetPort: port }, lastPort: last };
    });
  });
}

/** Publishes them all (closing what was opened if one fails); fills Docker's `Ports` (exposed-only ports = null). */
export async function publishPorts(publisher: PortPublisher, record: ContainerRecord, targetIp: string | undefined, opened: PublishedPort[]): Promise<NetworkSettings['Ports']> {
  const ports: NetworkSettings['Ports'] = {};
  for (const key of Object.keys(record.config.ExposedPorts ?? {})) ports[key] = null;
  if (!targetIp) return ports;
  for (const { key, request, lastPort } of publishRequests(record, targetIp)) {
    const published = await publishInRange(publisher, request, lastPort);
    opened.push(published);
    (ports[key] ??= []).push({ HostIp: published.hostIp || '0.0.0.0', HostPort: String(published.hostPort) });
  }
  return ports;
}

/** `"8080"`, `""` (random) or a range `"8000-8002"` that replicas share: [first, last]. */
function hostPortRange(hostPort: string | undefined): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(hostPort ?? '');
  if (!m) return [0, 0];
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

/** A range takes its first free port (as Docker does for the replicas of a service); a single port must be free. */
async function publishInRange(publisher: PortPublisher, request: PublishRequest, lastPort: number): Promise<PublishedPort> {
  for (let port = request.hostPort; ; port++) {
    try {
      return await publisher.publish({ ...request, hostPort: port });
    } catch (e) {
      if (port >= lastPort) throw e;
    }
  }
}
