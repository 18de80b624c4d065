import type * as z from 'zod';
import {
  ANY_KEY,
  NAME_KEY,
  anyObject,
  boolean,
  booleanOrString,
  closed,
  closedMap,
  extensible,
  integer,
  integerOrString,
  list,
  matching,
  nullValue,
  number,
  numberOrString,
  oneOf,
  oneOfValues,
  open,
  openMap,
  string,
  uniqueList,
} from './shapes.js';

/**
 * The Compose file model, mirroring compose-go's schema/compose-spec.json (draft 2020-12) definition by
 * definition: same keys, same alternatives, same enums and patterns. It checks one file's raw data, so it
 * accepts every short and long syntax and requires only what the JSON schema requires.
 */

// ---- shared small definitions -------------------------------------------------------------------

export const listOfStrings = uniqueList(string);

export const stringOrList = oneOf(string, listOfStrings);

/** `environment`, `labels`, `args`...: a mapping of scalars or a list of `KEY=VALUE` strings. */
export const listOrDict = oneOf(
  closedMap(ANY_KEY, oneOf(string, number, boolean, nullValue)),
  uniqueList(string),
);

export const command = oneOf(nullValue, string, list(string));

export const extraHosts = oneOf(closedMap(ANY_KEY, oneOf(string, list(string))), uniqueList(string));

/** `driver_opts`: option values are strings or numbers. */
export const driverOpts = openMap(ANY_KEY, oneOf(string, number));

export const ulimits = openMap(
  /^[a-z]+$/u,
  oneOf(integerOrString, extensible({ hard: integerOrString, soft: integerOrString }, { required: ['soft', 'hard'] })),
);

export const blkioLimit = closed({ path: string, rate: integerOrString });

export const blkioWeight = closed({ path: string, weight: integerOrString });

/** A service's `configs` / `secrets`: names, or mappings saying how to mount them. */
export const serviceConfigOrSecret = list(
  oneOf(
    string,
    extensible({ source: string, target: string, uid: string, gid: string, mode: numberOrString }),
  ),
);

export const envFile = oneOf(
  string,
  list(oneOf(string, closed({ path: string, format: string, required: booleanOrString }, { required: ['path'] }))),
);

export const labelFile = oneOf(string, list(string));

export const serviceHook = extensible(
  { command, user: string, privileged: booleanOrString, working_dir: string, environment: listOrDict },
  { required: ['command'] },
);

export const preStartHook = extensible({
  command,
  image: string,
  user: string,
  privileged: booleanOrString,
  working_dir: string,
  environment: listOrDict,
  per_replica: booleanOrString,
});

// ---- service parts ------------------------------------------------------------------------------

export const build = oneOf(
  string,
  extensible({
    context: string,
    dockerfile: string,
    dockerfile_inline: string,
    entitlements: list(string),
    args: listOrDict,
    ssh: listOrDict,
    labels: listOrDict,
    cache_from: list(string),
    cache_to: list(string),
    no_cache: booleanOrString,
    no_cache_filter: stringOrList,
    additional_contexts: listOrDict,
    network: string,
    provenance: booleanOrString,
    sbom: booleanOrString,
    pull: booleanOrString,
    target: string,
    shm_size: integerOrString,
    extra_hosts: extraHosts,
    isolation: string,
    privileged: booleanOrString,
    secrets: serviceConfigOrSecret,
    tags: list(string),
    ulimits,
    platforms: list(string),
  }),
);

export const blkioConfig = closed({
  device_read_bps: list(blkioLimit),
  device_read_iops: list(blkioLimit),
  device_write_bps: list(blkioLimit),
  device_write_iops: list(blkioLimit),
  weight: integerOrString,
  weight_device: list(blkioWeight),
});

export const credentialSpec = extensible({ config: string, file: string, registry: string });

export const dependsOn = oneOf(
  listOfStrings,
  closedMap(
    NAME_KEY,
    extensible(
      {
        restart: booleanOrString,
        required: boolean,
        condition: oneOfValues(['service_started', 'service_healthy', 'service_completed_successfully']),
      },
      { required: ['condition'] },
    ),
  ),
);

export const deviceMappings = list(
  oneOf(string, extensible({ source: string, target: string, permissions: string }, { required: ['source'] })),
);

export const extendsRef = oneOf(string, closed({ service: string, file: string }, { required: ['service'] }));

export const provider = extensible(
  {
    type: string,
    options: openMap(ANY_KEY, oneOf(oneOf(string, number, boolean), list(oneOf(string, number, boolean)))),
  },
  { required: ['type'] },
);

/** A device request (`gpus`, `deploy.resources.reservations.devices`). */
const deviceRequestShape = {
  capabilities: listOfStrings,
  count: integerOrString,
  device_ids: listOfStrings,
  driver: string,
  options: listOrDict,
};

/** The schema leaves `gpus` items open (its additionalProperties sits on the array, where it has no effect). */
export const gpus = oneOf(oneOfValues(['all']), list(open(deviceRequestShape)));

export const devices = list(extensible(deviceRequestShape, { required: ['capabilities'] }));

export const genericResources = list(
  extensible({ discrete_resource_spec: extensible({ kind: string, value: numberOrString }) }),
);

export const healthcheck = extensible({
  disable: booleanOrString,
  interval: string,
  retries: numberOrString,
  test: oneOf(string, list(string)),
  timeout: string,
  start_period: string,
  start_interval: string,
});

export const logging = extensible({ driver: string, options: openMap(ANY_KEY, oneOf(string, number, nullValue)) });

export const serviceModels = oneOf(
  listOfStrings,
  openMap(NAME_KEY, oneOf(extensible({ endpoint_var: string, model_var: string }), nullValue)),
);

export const serviceNetworks = oneOf(
  listOfStrings,
  closedMap(
    NAME_KEY,
    oneOf(
      extensible({
        aliases: listOfStrings,
        interface_name: string,
        ipv4_address: string,
        ipv6_address: string,
        link_local_ips: listOfStrings,
        mac_address: string,
        driver_opts: driverOpts,
        priority: number,
        gw_priority: number,
      }),
      nullValue,
    ),
  ),
);

export const port = oneOf(
  number,
  string,
  extensible({
    name: string,
    mode: string,
    host_ip: string,
    target: integerOrString,
    published: integerOrString,
    protocol: string,
    app_protocol: string,
  }),
);

export const serviceVolume = oneOf(
  string,
  extensible(
    {
      type: oneOfValues(['bind', 'volume', 'tmpfs', 'cluster', 'npipe', 'image']),
      source: string,
      target: string,
      read_only: booleanOrString,
      consistency: string,
      bind: extensible({
        propagation: string,
        create_host_path: booleanOrString,
        recursive: oneOfValues(['enabled', 'disabled', 'writable', 'readonly']),
        selinux: oneOfValues(['z', 'Z']),
      }),
      volume: extensible({ labels: listOrDict, nocopy: booleanOrString, subpath: string }),
      tmpfs: extensible({ size: oneOf(integer.min(0), string), mode: numberOrString }),
      image: extensible({ subpath: string }),
    },
    { required: ['type'] },
  ),
);

export const development = oneOf(
  extensible({
    watch: list(
      extensible(
        {
          ignore: stringOrList,
          include: stringOrList,
          path: string,
          action: oneOfValues(['rebuild', 'sync', 'restart', 'sync+restart', 'sync+exec']),
          target: string,
          exec: serviceHook,
          initial_sync: boolean,
        },
        { required: ['path', 'action'] },
      ),
    ),
  }),
  nullValue,
);

const updateConfig = extensible({
  parallelism: integerOrString,
  delay: string,
  failure_action: string,
  monitor: string,
  max_failure_ratio: numberOrString,
  order: oneOfValues(['start-first', 'stop-first']),
});

export const deployment = oneOf(
  extensible({
    mode: string,
    endpoint_mode: string,
    replicas: integerOrString,
    labels: listOrDict,
    rollback_config: updateConfig,
    update_config: updateConfig,
    resources: extensible({
      limits: extensible({ cpus: numberOrString, memory: string, pids: integerOrString }),
      reservations: extensible({
        cpus: numberOrString,
        memory: string,
        generic_resources: genericResources,
        devices,
      }),
    }),
    restart_policy: extensible({ condition: string, delay: string, max_attempts: integerOrString, window: string }),
    placement: extensible({
      constraints: list(string),
      preferences: list(extensible({ spread: string })),
      max_replicas_per_node: integerOrString,
    }),
  }),
  nullValue,
);

// ---- service ------------------------------------------------------------------------------------

export const service = extensible({
  develop: development,
  deploy: deployment,
  annotations: listOrDict,
  attach: booleanOrString,
  build,
  blkio_config: blkioConfig,
  cap_add: uniqueList(string),
  cap_drop: uniqueList(string),
  cgroup: oneOfValues(['host', 'private']),
  cgroup_parent: string,
  command,
  configs: serviceConfigOrSecret,
  container_name: matching(/[a-zA-Z0-9][a-zA-Z0-9_.-]+/u),
  cpu_count: oneOf(string, integer.min(0)),
  cpu_percent: oneOf(string, integer.min(0).max(100)),
  cpu_shares: numberOrString,
  cpu_quota: numberOrString,
  cpu_period: numberOrString,
  cpu_rt_period: numberOrString,
  cpu_rt_runtime: numberOrString,
  cpus: numberOrString,
  cpuset: string,
  credential_spec: credentialSpec,
  depends_on: dependsOn,
  device_cgroup_rules: listOfStrings,
  devices: deviceMappings,
  dns: stringOrList,
  dns_opt: uniqueList(string),
  dns_search: stringOrList,
  domainname: string,
  entrypoint: command,
  env_file: envFile,
  label_file: labelFile,
  environment: listOrDict,
  expose: uniqueList(oneOf(string, number)),
  extends: extendsRef,
  provider,
  external_links: uniqueList(string),
  extra_hosts: extraHosts,
  gpus,
  group_add: uniqueList(oneOf(string, number)),
  healthcheck,
  hostname: string,
  image: string,
  init: booleanOrString,
  ipc: string,
  isolation: string,
  labels: listOrDict,
  links: uniqueList(string),
  logging,
  mac_address: string,
  mem_limit: numberOrString,
  mem_reservation: integerOrString,
  mem_swappiness: integerOrString,
  memswap_limit: numberOrString,
  network_mode: string,
  models: serviceModels,
  networks: serviceNetworks,
  oom_kill_disable: booleanOrString,
  oom_score_adj: oneOf(string, integer.min(-1000).max(1000)),
  pid: oneOf(string, nullValue),
  pids_limit: numberOrString,
  platform: string,
  ports: uniqueList(port),
  pre_start: list(preStartHook),
  post_start: list(serviceHook),
  pre_stop: list(serviceHook),
  privileged: booleanOrString,
  profiles: listOfStrings,
  // Unanchored, as in the JSON schema: any value containing one of these words passes.
  pull_policy: matching(/always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+/u),
  pull_refresh_after: string,
  read_only: booleanOrString,
  restart: string,
  runtime: string,
  scale: integerOrString,
  security_opt: uniqueList(string),
  shm_size: numberOrString,
  secrets: serviceConfigOrSecret,
  sysctls: listOrDict,
  stdin_open: booleanOrString,
  stop_grace_period: string,
  stop_signal: string,
  storage_opt: anyObject,
  tmpfs: stringOrList,
  tty: booleanOrString,
  ulimits,
  use_api_socket: boolean,
  user: string,
  uts: string,
  userns_mode: string,
  volumes: uniqueList(serviceVolume),
  volumes_from: uniqueList(string),
  working_dir: string,
});

// ---- top-level resources ------------------------------------------------------------------------

/** `external: true`, or the deprecated `external: {name: ...}` form. */
const externalWithName = oneOf(boolean, string, extensible({ name: string }));

/** Secrets and configs leave their `external` mapping open. */
const openExternalWithName = oneOf(boolean, string, open({ name: string }));

export const network = oneOf(
  extensible({
    name: string,
    driver: string,
    driver_opts: driverOpts,
    ipam: extensible({
      driver: string,
      config: list(
        extensible({
          subnet: string,
          ip_range: string,
          gateway: string,
          aux_addresses: closedMap(ANY_KEY, string),
        }),
      ),
      options: closedMap(ANY_KEY, string),
    }),
    external: externalWithName,
    internal: booleanOrString,
    enable_ipv4: booleanOrString,
    enable_ipv6: booleanOrString,
    attachable: booleanOrString,
    labels: listOrDict,
  }),
  nullValue,
);

export const volume = oneOf(
  extensible({ name: string, driver: string, driver_opts: driverOpts, external: externalWithName, labels: listOrDict }),
  nullValue,
);

export const secret = extensible({
  name: string,
  environment: string,
  file: string,
  external: openExternalWithName,
  labels: listOrDict,
  driver: string,
  driver_opts: driverOpts,
  template_driver: string,
});

export const config = extensible({
  name: string,
  content: string,
  environment: string,
  file: string,
  external: openExternalWithName,
  labels: listOrDict,
  template_driver: string,
});

export const model = extensible(
  { name: string, model: string, context_size: integer, runtime_flags: list(string) },
  { required: ['model'] },
);

export const include = oneOf(
  string,
  closed({ path: stringOrList, env_file: stringOrList, project_directory: string }),
);

// ---- the file -----------------------------------------------------------------------------------

export const composeFile: z.ZodType = extensible({
  version: string,
  name: string,
  include: list(include),
  services: closedMap(NAME_KEY, service),
  models: openMap(NAME_KEY, model),
  networks: openMap(NAME_KEY, network),
  volumes: closedMap(NAME_KEY, volume),
  secrets: closedMap(NAME_KEY, secret),
  configs: closedMap(NAME_KEY, config),
});
