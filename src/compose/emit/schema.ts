/**
 * compose-go's types as tables: for each struct, its YAML keys in Go field order and how each value
 * marshals. `docker compose config` prints a project by marshalling these structs, so this order and
 * these value kinds are what the output must follow.
 */

/** How one value marshals (and when `omitempty` drops it). */
export type Kind =
  | 'str' // string: dropped when empty
  | 'bool' // bool: dropped when false
  | 'boolPtr' // *bool: dropped when unset, false kept
  | 'int' // int: dropped when 0
  | 'intPtr' // *int: dropped when unset, 0 kept
  | 'float' // float32: dropped when 0
  | 'duration' // Duration: `1m30s`, dropped when 0
  | 'durationPtr' // *Duration: `0s` kept
  | 'bytes' // UnitBytes: decimal string, dropped when 0
  | 'fileMode' // *FileMode: `0440`
  | 'optOut' // OptOut bool: true is the default and is dropped, false is printed
  | 'deviceCount' // DeviceCount: `all` → -1
  | 'strList' // []string / StringList / StringOrNumberList: items as strings
  | 'shellCommand' // ShellCommand: a string is split into words
  | 'healthTest' // HealthCheckTest: a string becomes [CMD-SHELL, string]
  | 'hosts' // HostsList: sorted `host=ip` list
  | 'ssh' // SSHConfig: `id` or `id: path` items
  | 'mapping' // Mapping/Labels/Options: sorted, values as strings (null → "")
  | 'mappingEq' // MappingWithEquals: sorted, values as strings, null kept
  | 'ulimit' // *UlimitsConfig: a number, or {soft, hard}
  | 'any' // kept as given (keys of mappings sorted)
  | { struct: () => StructSpec; ptr: boolean }
  | { list: Kind }
  | { map: Kind };

export interface Field {
  key: string;
  kind: Kind;
  /** No `omitempty`: printed even when zero. */
  always?: boolean;
  /** JSON tag without omitempty: `null` when absent in `--format json`. */
  jsonNull?: boolean;
}

export interface StructSpec {
  fields: readonly Field[];
  /** Has an inline `Extensions` map: `x-*` keys are printed after the fields. */
  extensions: boolean;
  /** Values dropped by the type's MarshalYAML (secret content is never printed). */
  hidden?: (value: Record<string, unknown>) => readonly string[];
}

type FieldRow = readonly [key: string, kind: Kind, flags?: 'always' | 'jsonNull'];

function spec(rows: readonly FieldRow[], extensions = true, hidden?: StructSpec['hidden']): StructSpec {
  const fields = rows.map(([key, kind, flag]) => ({ key, kind, always: flag === 'always', jsonNull: flag === 'jsonNull' }));
  return hidden ? { fields, extensions, hidden } : { fields, extensions };
}

const ptr = (s: () => StructSpec): Kind => ({ struct: s, ptr: true });
const val = (s: () => StructSpec): Kind => ({ struct: s, ptr: false });
const list = (k: Kind): Kind => ({ list: k });
const map = (k: Kind): Kind => ({ map: k });

const FILE_REFERENCE = spec([
  ['source', 'str'],
  ['target', 'str'],
  ['uid', 'str'],
  ['gid', 'str'],
  ['mode', 'fileMode'],
]);

const DEVICE_REQUEST = spec(
  [
    ['capabilities', 'strList'],
    ['driver', 'str'],
    ['count', 'deviceCount'],
    ['device_ids', 'strList'],
    ['options', 'mapping'],
  ],
  false,
);

const BUILD = spec([
  ['context', 'str'],
  ['dockerfile', 'str'],
  ['dockerfile_inline', 'str'],
  ['entitlements', 'strList'],
  ['args', 'mappingEq'],
  ['provenance', 'str'],
  ['sbom', 'str'],
  ['ssh', 'ssh'],
  ['labels', 'mapping'],
  ['cache_from', 'strList'],
  ['cache_to', 'strList'],
  ['no_cache', 'bool'],
  ['no_cache_filter', 'strList'],
  ['additional_contexts', 'mapping'],
  ['pull', 'bool'],
  ['extra_hosts', 'hosts'],
  ['isolation', 'str'],
  ['network', 'str'],
  ['target', 'str'],
  ['secrets', list(val(() => FILE_REFERENCE))],
  ['shm_size', 'bytes'],
  ['tags', 'strList'],
  ['ulimits', map('ulimit')],
  ['platforms', 'strList'],
  ['privileged', 'bool'],
]);

const HOOK = spec([
  ['command', 'shellCommand', 'jsonNull'],
  ['user', 'str'],
  ['privileged', 'bool'],
  ['working_dir', 'str'],
  ['environment', 'mappingEq'],
]);

const WATCH_TRIGGER = spec([
  ['path', 'str', 'always'],
  ['action', 'str', 'always'],
  ['target', 'str'],
  ['exec', val(() => HOOK)],
  ['ignore', 'strList'],
  ['include', 'strList'],
  ['initial_sync', 'bool'],
]);

const DEVELOP = spec([['watch', list(val(() => WATCH_TRIGGER))]]);

const WEIGHT_DEVICE = spec([
  ['path', 'str', 'always'],
  ['weight', 'int', 'always'],
]);

const THROTTLE_DEVICE = spec([
  ['path', 'str', 'always'],
  ['rate', 'bytes', 'always'],
]);

const BLKIO = spec([
  ['weight', 'int'],
  ['weight_device', list(val(() => WEIGHT_DEVICE))],
  ['device_read_bps', list(val(() => THROTTLE_DEVICE))],
  ['device_read_iops', list(val(() => THROTTLE_DEVICE))],
  ['device_write_bps', list(val(() => THROTTLE_DEVICE))],
  ['device_write_iops', list(val(() => THROTTLE_DEVICE))],
]);

const CREDENTIAL_SPEC = spec([
  ['config', 'str'],
  ['file', 'str'],
  ['registry', 'str'],
]);

const DEPENDENCY = spec([
  ['condition', 'str'],
  ['restart', 'bool'],
  ['required', 'bool', 'always'],
]);

const UPDATE = spec([
  ['parallelism', 'intPtr'],
  ['delay', 'duration'],
  ['failure_action', 'str'],
  ['monitor', 'duration'],
  ['max_failure_ratio', 'float'],
  ['order', 'str'],
]);

const DISCRETE_RESOURCE = spec([
  ['kind', 'str', 'always'],
  ['value', 'int', 'always'],
]);

const GENERIC_RESOURCE = spec([['discrete_resource_spec', ptr(() => DISCRETE_RESOURCE)]]);

const RESOURCE = spec([
  ['cpus', 'float'],
  ['memory', 'bytes'],
  ['pids', 'int'],
  ['devices', list(val(() => DEVICE_REQUEST))],
  ['generic_resources', list(val(() => GENERIC_RESOURCE))],
]);

const RESOURCES = spec([
  ['limits', ptr(() => RESOURCE)],
  ['reservations', ptr(() => RESOURCE)],
]);

const RESTART_POLICY = spec([
  ['condition', 'str'],
  ['delay', 'durationPtr'],
  ['max_attempts', 'intPtr'],
  ['window', 'durationPtr'],
]);

const PLACEMENT = spec([
  ['constraints', 'strList'],
  ['preferences', list(val(() => spec([['spread', 'str']])))],
  ['max_replicas_per_node', 'int'],
]);

const DEPLOY = spec([
  ['mode', 'str'],
  ['replicas', 'intPtr'],
  ['labels', 'mapping'],
  ['update_config', ptr(() => UPDATE)],
  ['rollback_config', ptr(() => UPDATE)],
  ['resources', val(() => RESOURCES)],
  ['restart_policy', ptr(() => RESTART_POLICY)],
  ['placement', val(() => PLACEMENT)],
  ['endpoint_mode', 'str'],
]);

const DEVICE_MAPPING = spec([
  ['source', 'str'],
  ['target', 'str'],
  ['permissions', 'str'],
]);

const PROVIDER = spec([
  ['type', 'str'],
  ['options', map('any')],
]);

const ENV_FILE = spec(
  [
    ['path', 'str'],
    ['required', 'optOut'],
    ['format', 'str'],
  ],
  false,
);

const EXTENDS = spec(
  [
    ['file', 'str'],
    ['service', 'str'],
  ],
  false,
);

const HEALTHCHECK = spec([
  ['test', 'healthTest'],
  ['timeout', 'durationPtr'],
  ['interval', 'durationPtr'],
  ['retries', 'intPtr'],
  ['start_period', 'durationPtr'],
  ['start_interval', 'durationPtr'],
  ['disable', 'bool'],
]);

const LOGGING = spec([
  ['driver', 'str'],
  ['options', 'mapping'],
]);

const SERVICE_MODEL = spec([['endpoint_var', 'str']]);

const SERVICE_NETWORK = spec([
  ['aliases', 'strList'],
  ['driver_opts', 'mapping'],
  ['gw_priority', 'int'],
  ['interface_name', 'str'],
  ['ipv4_address', 'str'],
  ['ipv6_address', 'str'],
  ['link_local_ips', 'strList'],
  ['mac_address', 'str'],
  ['priority', 'int'],
]);

const PORT = spec([
  ['name', 'str'],
  ['mode', 'str'],
  ['host_ip', 'str'],
  ['target', 'int'],
  ['published', 'str'],
  ['protocol', 'str'],
  ['app_protocol', 'str'],
]);

const VOLUME_MOUNT = spec([
  ['type', 'str'],
  ['source', 'str'],
  ['target', 'str'],
  ['read_only', 'bool'],
  ['consistency', 'str'],
  [
    'bind',
    ptr(() =>
      spec([
        ['selinux', 'str'],
        ['propagation', 'str'],
        ['create_host_path', 'optOut'],
        ['recursive', 'str'],
      ]),
    ),
  ],
  [
    'volume',
    ptr(() =>
      spec([
        ['labels', 'mapping'],
        ['nocopy', 'bool'],
        ['subpath', 'str'],
      ]),
    ),
  ],
  [
    'tmpfs',
    ptr(() =>
      spec([
        ['size', 'bytes'],
        ['mode', 'int'],
      ]),
    ),
  ],
  ['image', ptr(() => spec([['subpath', 'str']]))],
]);

/** ServiceConfig, minus `name` (cleared by its MarshalYAML). */
const SERVICE_ROWS: readonly FieldRow[] = [
  ['profiles', 'strList'],
  ['annotations', 'mapping'],
  ['attach', 'boolPtr'],
  ['build', ptr(() => BUILD)],
  ['develop', ptr(() => DEVELOP)],
  ['blkio_config', ptr(() => BLKIO)],
  ['cap_add', 'strList'],
  ['cap_drop', 'strList'],
  ['cgroup_parent', 'str'],
  ['cgroup', 'str'],
  ['cpu_count', 'int'],
  ['cpu_percent', 'float'],
  ['cpu_period', 'int'],
  ['cpu_quota', 'int'],
  ['cpu_rt_period', 'int'],
  ['cpu_rt_runtime', 'int'],
  ['cpus', 'float'],
  ['cpuset', 'str'],
  ['cpu_shares', 'int'],
  ['command', 'shellCommand', 'jsonNull'],
  ['configs', list(val(() => FILE_REFERENCE))],
  ['container_name', 'str'],
  ['credential_spec', ptr(() => CREDENTIAL_SPEC)],
  ['depends_on', map(val(() => DEPENDENCY))],
  ['deploy', ptr(() => DEPLOY)],
  ['device_cgroup_rules', 'strList'],
  ['devices', list(val(() => DEVICE_MAPPING))],
  ['dns', 'strList'],
  ['dns_opt', 'strList'],
  ['dns_search', 'strList'],
  ['dockerfile', 'str'],
  ['domainname', 'str'],
  ['entrypoint', 'shellCommand', 'jsonNull'],
  ['provider', ptr(() => PROVIDER)],
  ['environment', 'mappingEq'],
  ['env_file', list(val(() => ENV_FILE))],
  ['expose', 'strList'],
  ['extends', ptr(() => EXTENDS)],
  ['external_links', 'strList'],
  ['extra_hosts', 'hosts'],
  ['group_add', 'strList'],
  ['gpus', list(val(() => DEVICE_REQUEST))],
  ['hostname', 'str'],
  ['healthcheck', ptr(() => HEALTHCHECK)],
  ['image', 'str'],
  ['init', 'boolPtr'],
  ['ipc', 'str'],
  ['isolation', 'str'],
  ['labels', 'mapping'],
  ['label_file', 'strList'],
  ['links', 'strList'],
  ['logging', ptr(() => LOGGING)],
  ['log_driver', 'str'],
  ['log_opt', 'mapping'],
  ['mem_limit', 'bytes'],
  ['mem_reservation', 'bytes'],
  ['memswap_limit', 'bytes'],
  ['mem_swappiness', 'bytes'],
  ['mac_address', 'str'],
  ['models', map(ptr(() => SERVICE_MODEL))],
  ['net', 'str'],
  ['network_mode', 'str'],
  ['networks', map(ptr(() => SERVICE_NETWORK))],
  ['oom_kill_disable', 'bool'],
  ['oom_score_adj', 'int'],
  ['pid', 'str'],
  ['pids_limit', 'int'],
  ['platform', 'str'],
  ['ports', list(val(() => PORT))],
  ['privileged', 'bool'],
  ['pull_policy', 'str'],
  ['read_only', 'bool'],
  ['restart', 'str'],
  ['runtime', 'str'],
  ['scale', 'intPtr'],
  ['secrets', list(val(() => FILE_REFERENCE))],
  ['security_opt', 'strList'],
  ['shm_size', 'bytes'],
  ['stdin_open', 'bool'],
  ['stop_grace_period', 'durationPtr'],
  ['stop_signal', 'str'],
  ['storage_opt', 'mapping'],
  ['sysctls', 'mapping'],
  ['tmpfs', 'strList'],
  ['tty', 'bool'],
  ['ulimits', map('ulimit')],
  ['use_api_socket', 'bool'],
  ['user', 'str'],
  ['userns_mode', 'str'],
  ['uts', 'str'],
  ['volume_driver', 'str'],
  ['volumes', list(val(() => VOLUME_MOUNT))],
  ['volumes_from', 'strList'],
  ['working_dir', 'str'],
  ['pre_start', list(val(() => PRE_START))],
  ['post_start', list(val(() => HOOK))],
  ['pre_stop', list(val(() => HOOK))],
];

export const SERVICE = spec(SERVICE_ROWS);

/** A pre_start hook is a container spec inheriting from its service, plus per_replica. */
const PRE_START = spec([...SERVICE_ROWS.filter(([key]) => key !== 'pre_start'), ['per_replica', 'bool']]);

const IPAM = spec([
  ['driver', 'str'],
  [
    'config',
    list(
      val(() =>
        spec([
          ['subnet', 'str'],
          ['gateway', 'str'],
          ['ip_range', 'str'],
          ['aux_addresses', 'mapping'],
        ]),
      ),
    ),
  ],
  ['options', 'mapping'],
]);

const NETWORK = spec([
  ['name', 'str'],
  ['driver', 'str'],
  ['driver_opts', 'mapping'],
  ['ipam', val(() => IPAM)],
  ['external', 'bool'],
  ['internal', 'bool'],
  ['attachable', 'bool'],
  ['labels', 'mapping'],
  ['enable_ipv4', 'boolPtr'],
  ['enable_ipv6', 'boolPtr'],
]);

const VOLUME = spec([
  ['name', 'str'],
  ['driver', 'str'],
  ['driver_opts', 'mapping'],
  ['external', 'bool'],
  ['labels', 'mapping'],
]);

const FILE_OBJECT_ROWS: readonly FieldRow[] = [
  ['name', 'str'],
  ['file', 'str'],
  ['environment', 'str'],
  ['content', 'str'],
  ['external', 'bool'],
  ['labels', 'mapping'],
  ['driver', 'str'],
  ['driver_opts', 'mapping'],
  ['template_driver', 'str'],
];

/** A secret's content is loaded from the environment and never printed. */
const SECRET = spec(FILE_OBJECT_ROWS, true, () => ['content']);

/** A config's content is printed when inline, not when it came from `environment`. */
const CONFIG = spec(FILE_OBJECT_ROWS, true, (c) => (c.environment ? ['content'] : []));

const MODEL = spec([
  ['name', 'str'],
  ['model', 'str'],
  ['context_size', 'int'],
  ['runtime_flags', 'strList'],
]);

/** `version` is obsolete and `include` is resolved by then: Compose prints neither. */
export const PROJECT = spec(
  [
  ['name', 'str'],
  ['services', map(val(() => SERVICE)), 'always'],
  ['networks', map(val(() => NETWORK))],
  ['volumes', map(val(() => VOLUME))],
  ['secrets', map(val(() => SECRET))],
  ['configs', map(val(() => CONFIG))],
  ['models', map(val(() => MODEL))],
  ],
  true,
  () => ['version', 'include'],
);
