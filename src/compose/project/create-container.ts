import type { EngineApi } from '../../engine/client/engine-api.js';
import { VERSION } from '../../version.js';
import { isDict } from '../types.js';
import { encodeServiceConfig } from './changes.js';
import { createBodyOf } from './container-body.js';
import type { DesiredProject, DesiredService } from './desired.js';
import { LABEL } from './labels.js';
import { fileMounts, injectContents } from './secrets.js';

/** The engine names of the project's networks and volumes, by compose key. */
export function resourceNames(project: DesiredProject): { networkNames: Record<string, string>; volumeNames: Record<string, string> } {
  return {
    networkNames: Object.fromEntries(project.networks.map((n) => [n.key, n.name])),
    volumeNames: Object.fromEntries(project.volumes.map((v) => [v.key, v.name])),
  };
}

/** Creates one container of a service, labelled as Docker Compose labels it; returns its id. */
export async function createServiceContainer(
  engine: EngineApi,
  project: DesiredProject,
  service: DesiredService,
  opts: { name: string; number: number; oneoff?: boolean; containerIdOf: (service: string) => string | undefined; override?: (body: ReturnType<typeof createBodyOf>) => void },
): Promise<string> {
  const body = createBodyOf(service.config, { project: project.name, serviceName: service.name, containerName: opts.name, ...resourceNames(project), containerIdOf: opts.containerIdOf });
  body.Image = service.image;
  body.Labels = {
    ...(isDict(service.config.labels) ? (service.config.labels as Record<string, string>) : {}),
    [LABEL.project]: project.name,
    [LABEL.service]: service.name,
    [LABEL.number]: String(opts.number),
    [LABEL.oneoff]: opts.oneoff ? 'True' : 'False',
    [LABEL.configHash]: service.hash,
    [LABEL.dependsOn]: dependsOnLabel(service),
    [LABEL.image]: service.imageId ?? service.image, // the ID, as Compose records it: a rebuilt image shows
    [LABEL.workingDir]: project.workingDir,
    [LABEL.configFiles]: project.configFiles.join(','),
    [LABEL.version]: VERSION,
    [LABEL.serviceConfig]: encodeServiceConfig(service.config),
  };
  addLinkAliases(body, project, service.name);
  body.HostConfig!.Mounts = [...(body.HostConfig!.Mounts ?? []), ...fileMounts(project.model, service.config)];
  opts.override?.(body);
  const { Id } = await engine.createContainer(body, opts.name);
  await injectContents(engine, Id, project.model, service.config, project.lookup, project.includedContents);
  return Id;
}

/** `db:service_healthy:false,cache:service_started:true` (condition and `restart`), as Compose writes it. */
function dependsOnLabel(service: DesiredService): string {
  const deps = isDict(service.config.depends_on) ? service.config.depends_on : {};
  return Object.entries(deps)
    .map(([name, d]) => `${name}:${isDict(d) ? String(d.condition ?? 'service_started') : 'service_started'}:${isDict(d) && d.restart === true}`)
    .join(',');
}

/**
 * `links: [db:database]` in another service makes `database` a name of this service's containers. Docker scopes a
 * link alias to the linking container; here it is a network alias of the target (resolvable by the network).
 */
function addLinkAliases(body: ReturnType<typeof createBodyOf>, project: DesiredProject, target: string): void {
  const aliases = project.services.flatMap((s) =>
    (Array.isArray(s.config.links) ? s.config.links.map(String) : [])
      .map((link) => link.split(':'))
      .filter(([name, alias]) => name === target && alias && alias !== target)
      .map(([, alias]) => alias!),
  );
  if (aliases.length === 0) return;
  for (const endpoint of Object.values(body.NetworkingConfig?.EndpointsConfig ?? {})) endpoint.Aliases = [...(endpoint.Aliases ?? []), ...aliases];
}
