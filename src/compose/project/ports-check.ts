import { checkPortsFree } from '../../net/proxy/port-proxy.js';
import { UserError } from '../../errors.js';
import { isDict, type Dict } from '../types.js';
import type { DesiredProject } from './desired.js';
import type { Plan } from './plan.js';

/**
 * Host ports that new containers will publish must be free before anything of the project starts: a taken one is
 * reported first, and nothing is created (containers being kept or recreated hold their own ports already).
 */
export async function checkNewPorts(project: DesiredProject, plan: Plan): Promise<void> {
  const creating = new Set(plan.containers.filter((a) => a.kind === 'create').map((a) => a.service));
  const ports = project.services
    .filter((s) => creating.has(s.name))
    .flatMap((s) => (Array.isArray(s.config.ports) ? (s.config.ports as Dict[]) : []).filter(isDict))
    .flatMap((p) => publishedPorts(p));
  const problems = await checkPortsFree(ports);
  if (problems.length > 0) throw new UserError(problems[0]!.error);
}

/** `published: "8080"` or a range `"8000-8002"` (one per replica); an unset one is random and cannot clash. */
function publishedPorts(port: Dict): Array<{ protocol: 'tcp' | 'udp'; hostIp: string; hostPort: number }> {
  const published = String(port.published ?? '');
  if (!/^\d+(-\d+)?$/.test(published)) return [];
  const [first = 0] = published.split('-').map(Number);
  const protocol = port.protocol === 'udp' ? 'udp' : 'tcp';
  return published.includes('-') ? [] : [{ protocol, hostIp: String(port.host_ip ?? ''), hostPort: first }];
}
