/**
 * What POST /build carries (a local extension of Docker's endpoint: the engine runs on the same host, so the
 * context is a directory path instead of an uploaded tar, and the request is JSON).
 */
import { z } from 'zod';

export const BuildRequestSchema = z.object({
  /** Absolute host path of the build context. */
  context: z.string().min(1),
  /** Dockerfile path, relative to the context or absolute; ignored when `dockerfileInline` is given. */
  dockerfile: z.string().default('Dockerfile'),
  dockerfileInline: z.string().optional(),
  buildArgs: z.record(z.string(), z.string().nullable()).default({}),
  target: z.string().optional(),
  tags: z.array(z.string()).default([]),
  labels: z.record(z.string(), z.string()).default({}),
  noCache: z.boolean().default(false),
  /**
   * tscompose's own: build only when the inputs changed since the first tag's image was built by us (its build
   * args are reused); otherwise answer at once with that image (`aux.upToDate`).
   */
  onlyIfChanged: z.boolean().default(false),
  pull: z.boolean().default(false),
  /** RUN steps' network: '' (the default bridge), 'host', 'none' or a network name. */
  network: z.string().default(''),
  shmSize: z.number().int().nonnegative().optional(),
  extraHosts: z.array(z.string()).default([]),
  /** Secret id → its content (base64): written to a private file while the build runs, never into a layer. */
  secrets: z.record(z.string(), z.string()).default({}),
  /** Name → a host directory, `docker-image://ref`, or `image:<id>` (another service's freshly built image). */
  additionalContexts: z.record(z.string(), z.string()).default({}),
  /** Registry domain → the client's credentials for it, for the images FROM and COPY --from pull. */
  registryAuth: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});

export type BuildRequest = z.infer<typeof BuildRequestSchema>;
export type BuildRequestInput = z.input<typeof BuildRequestSchema>;

/** Build-time variables every build knows without an ARG declaring their value (Docker's predefined ARGs). */
export const PREDEFINED_ARGS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];
