/** The media types of a Compose OCI artifact (as docker compose writes them, so either tool can read the other's). */
export const COMPOSE_MEDIA_TYPES = {
  projectArtifact: 'application/vnd.docker.compose.project',
  file: 'application/vnd.docker.compose.file+yaml',
  envFile: 'application/vnd.docker.compose.envfile',
  /** OCI 1.0 has no artifactType: readers fall back to the config's media type. */
  emptyConfigV1_0: 'application/vnd.docker.compose.config.empty.v1+json',
  emptyConfig: 'application/vnd.oci.empty.v1+json',
} as const;

export const ANNOTATIONS = {
  version: 'com.docker.compose.version',
  file: 'com.docker.compose.file',
  envFile: 'com.docker.compose.envfile',
  extends: 'com.docker.compose.extends',
  created: 'org.opencontainers.image.created',
} as const;

export type OciVersion = '1.0' | '1.1';
