/** A port as the engine's container list gives it (Docker's `Ports` entry). */
export interface ListedPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/**
 * The PORTS column of `docker ps` and `docker compose ps`: sorted; runs of consecutive ports that map to themselves
 * (or are only exposed) folded into ranges, `0.0.0.0:8000-8002->8000-8002/tcp`, `9000-9001/udp`; ports published
 * on another host port listed after them, one each, `0.0.0.0:8080->80/tcp`.
 */
export function displayablePorts(ports: readonly ListedPort[]): string {
  const sorted = [...ports].sort(comparePorts);
  const open = new Map<string, { first: number; last: number }>(); // by IP and protocol, in order of first sight
  const folded: string[] = [];
  const remapped: string[] = [];
  for (const port of sorted) {
    if (port.IP && port.PublicPort !== port.PrivatePort) {
      remapped.push(`${hostAddress(port.IP)}:${port.PublicPort ?? 0}->${port.PrivatePort}/${port.Type}`);
      continue;
    }
    const key = `${port.IP ?? ''}|${port.Type}`;
    const run = open.get(key);
    if (run && port.PrivatePort === run.last + 1) {
      run.last = port.PrivatePort;
      continue;
    }
    if (run) folded.push(rangeText(key, run));
    open.set(key, { first: port.PrivatePort, last: port.PrivatePort }); // a restarted run keeps its key's place
  }
  for (const [key, run] of open) folded.push(rangeText(key, run));
  return [...folded, ...remapped].join(', ');
}

function rangeText(key: string, run: { first: number; last: number }): string {
  const [ip, type] = key.split('|') as [string, string];
  const range = run.first === run.last ? String(run.first) : `${run.first}-${run.last}`;
  return ip ? `${hostAddress(ip)}:${range}->${range}/${type}` : `${range}/${type}`;
}

function hostAddress(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

function comparePorts(a: ListedPort, b: ListedPort): number {
  if (a.PrivatePort !== b.PrivatePort) return a.PrivatePort - b.PrivatePort;
  if ((a.IP ?? '') !== (b.IP ?? '')) return (a.IP ?? '') < (b.IP ?? '') ? -1 : 1;
  if ((a.PublicPort ?? 0) !== (b.PublicPort ?? 0)) return (a.PublicPort ?? 0) - (b.PublicPort ?? 0);
  return a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0;
}
