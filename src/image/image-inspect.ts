/**
 * Docker Engine API shapes of an image: GET /images/{name}/json (inspect), GET /images/json (list items)
 * and GET /images/{name}/history.
 */
import type { ImageRecord, ImageStore } from './image-store.js';
import type { OciContainerConfig } from './oci-types.js';

const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000) || 0;

/** Docker's container-config shape of the image config (zero values where the image sets nothing). */
export function dockerImageConfig(config: OciContainerConfig | undefined): Record<string, unknown> {
  const c = config ?? {};
  const shape: Record<string, unknown> = {
    Hostname: '',
    Domainname: '',
    User: c.User ?? '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    ExposedPorts: c.ExposedPorts ?? undefined,
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: c.Env ?? null,
    Cmd: c.Cmd ?? null,
    Healthcheck: c.Healthcheck ?? undefined,
    ArgsEscaped: c.ArgsEscaped ?? undefined,
    Image: '',
    Volumes: c.Volumes ?? null,
    WorkingDir: c.WorkingDir ?? '',
    Entrypoint: c.Entrypoint ?? null,
    OnBuild: c.OnBuild ?? null,
    Labels: c.Labels ?? null,
    StopSignal: c.StopSignal ?? undefined,
    Shell: c.Shell ?? undefined,
  };
  return Object.fromEntries(Object.entries(shape).filter(([, v]) => v !== undefined));
}

/** GET /images/{name}/json */
export function inspectImage(store: ImageStore, image: ImageRecord): Record<string, unknown> {
  const layerDirs = store.chainIds(image).map((chainId) => store.snapshots.fsPath(chainId));
  const history = image.config.history ?? [];
  const inspect: Record<string, unknown> = {
    Id: image.id,
    RepoTags: image.repoTags,
    RepoDigests: image.repoDigests,
    Parent: '',
    Comment: history[history.length - 1]?.comment ?? '',
    Created: image.created,
    DockerVersion: '',
    Author: image.config.author ?? '',
    Config: dockerImageConfig(image.config.config),
    Architecture: image.config.architecture,
    Os: image.config.os,
    Size: image.size,
    GraphDriver: {
      Name: 'overlay2',
      Data: { LowerDir: layerDirs.slice(0, -1).reverse().join(':') || undefined, UpperDir: layerDirs[layerDirs.length - 1] },
    },
    RootFS: { Type: 'layers', Layers: image.config.rootfs.diff_ids },
    Metadata: { LastTagTime: store.lastTagTime(image.id) ?? '0001-01-01T00:00:00Z' },
  };
  if (image.config.variant) inspect.Variant = image.config.variant;
  return inspect;
}

/** One item of GET /images/json */
export function imageSummary(image: ImageRecord): Record<string, unknown> {
  return {
    Id: image.id,
    ParentId: '',
    RepoTags: image.repoTags,
    RepoDigests: image.repoDigests,
    Created: unixSeconds(image.created),
    Size: image.size,
    SharedSize: -1,
    Labels: image.config.config?.Labels ?? {},
    Containers: -1,
  };
}

/** GET /images/{name}/history: newest first; only the top entry carries the image ID and tags. */
export function imageHistory(store: ImageStore, image: ImageRecord): Array<Record<string, unknown>> {
  const sizes = store.chainIds(image).map((chainId) => store.snapshots.get(chainId)?.size ?? 0);
  let layer = 0;
  const entries = (image.config.history ?? []).map((h) => ({
    Id: '<missing>',
    Created: unixSeconds(h.created ?? ''),
    CreatedBy: h.created_by ?? '',
    Tags: null as string[] | null,
    Size: h.empty_layer ? 0 : (sizes[layer++] ?? 0),
    Comment: h.comment ?? '',
  }));
  entries.reverse();
  if (entries[0]) {
    entries[0].Id = image.id;
    entries[0].Tags = image.repoTags.length > 0 ? image.repoTags : null;
  }
  return entries;
}
