/** The labels Docker Compose puts on what it creates; a project is nothing but these (the engine knows containers). */
export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  /** tscompose's own: the service config the hash was made from, so a recreate can say what changed. */
  serviceConfig: 'dev.tscompose.service-config',
} as const;

/** Docker Compose names: `project-service-N` (`project_service_N` in --compatibility mode, as Compose v1). */
export function containerName(project: string, service: string, number: number, compatibility = false): string {
  const sep = compatibility ? '_' : '-';
  return `${project}${sep}${service}${sep}${number}`;
}
