/** The image manifest of a Compose artifact, OCI 1.1 (artifactType + empty config) or 1.0 (typed config). */
import { MEDIA_TYPES } from '../../image/oci-types.js';
import { ANNOTATIONS, COMPOSE_MEDIA_TYPES, type OciVersion } from './media-types.js';
import { layer, type Layer } from './layers.js';

export interface ArtifactManifest {
  config: Layer; // the `{}` blob, pushed like a layer
  bytes: Buffer;
}

export function artifactManifest(layers: Layer[], version: OciVersion, created: Date, composeVersion: string): ArtifactManifest {
  const configType = version === '1.1' ? COMPOSE_MEDIA_TYPES.emptyConfig : COMPOSE_MEDIA_TYPES.emptyConfigV1_0;
  const config = layer(configType, Buffer.from('{}'), {}, composeVersion);
  const descriptor = (l: Layer, withAnnotations: boolean) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, ...(withAnnotations ? { annotations: l.annotations } : {}) });
  const doc = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    ...(version === '1.1' ? { artifactType: COMPOSE_MEDIA_TYPES.projectArtifact } : {}),
    config: descriptor(config, false),
    layers: layers.map((l) => descriptor(l, true)),
    annotations: { [ANNOTATIONS.created]: created.toISOString().replace(/\.\d{3}Z$/, 'Z'), [ANNOTATIONS.version]: composeVersion },
  };
  return { config, bytes: Buffer.from(JSON.stringify(doc)) };
}
