import type { Warn } from '../template.js';

/**
 * After interpolation a string that sits where the schema wants a number or a boolean is converted
 * (`replicas: ${N}` → 3), as compose-go does, so validation sees the right type.
 * Patterns are dotted paths where `*` stands for any mapping key or list index.
 */
export type Cast = (value: string, warn?: Warn) => unknown;

const toInt: Cast = (value) => {
  if (!/^[+-]?\d+$/.test(value)) throw new Error(`invalid integer: ${value}`);
  return Number(value);
};

const toFloat: Cast = (value) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`invalid number: ${value}`);
  return n;
};

/** File modes are octal whatever their spelling ("0440", "440", "0o440"), as Go's strconv.ParseUint(v, 8). */
const toFileMode: Cast = (value) => {
  const digits = value.replace(/^0o/i, '');
  if (!/^[0-7]+$/.test(digits)) throw new Error(`invalid file mode: ${value}`);
  return parseInt(digits, 8);
};

/** YAML 1.1 spellings still work, with a warning, as in compose-go. */
const toBoolean: Cast = (value, warn) => {
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  const legacy = LEGACY_BOOLEANS[lower];
  if (legacy === undefined) throw new Error(`invalid boolean: ${value}`);
  warn?.(`${JSON.stringify(value)} for boolean is not supported by YAML 1.2, please use \`${legacy}\``);
  return legacy;
};

const LEGACY_BOOLEANS: Record<string, boolean> = { y: true, yes: true, on: true, n: false, no: false, off: false };

export const CASTS_BY_PATH: Readonly<Record<string, Cast>> = {
  'services.*.configs.*.mode': toFileMode,
  'services.*.cpu_count': toInt,
  'services.*.cpu_percent': toFloat,
  'services.*.cpu_period': toInt,
  'services.*.cpu_quota': toInt,
  'services.*.cpu_rt_period': toInt,
  'services.*.cpu_rt_runtime': toInt,
  'services.*.cpus': toFloat,
  'services.*.cpu_shares': toInt,
  'services.*.init': toBoolean,
  'services.*.deploy.replicas': toInt,
  'services.*.deploy.update_config.parallelism': toInt,
  'services.*.deploy.update_config.max_failure_ratio': toFloat,
  'services.*.deploy.rollback_config.parallelism': toInt,
  'services.*.deploy.rollback_config.max_failure_ratio': toFloat,
  'services.*.deploy.restart_policy.max_attempts': toInt,
  'services.*.deploy.placement.max_replicas_per_node': toInt,
  'services.*.healthcheck.retries': toInt,
  'services.*.healthcheck.disable': toBoolean,
  'services.*.oom_kill_disable': toBoolean,
  'services.*.oom_score_adj': toInt,
  'services.*.pids_limit': toInt,
  'services.*.ports.*.target': toInt,
  'services.*.privileged': toBoolean,
  'services.*.read_only': toBoolean,
  'services.*.scale': toInt,
  'services.*.secrets.*.mode': toFileMode,
  'services.*.stdin_open': toBoolean,
  'services.*.tty': toBoolean,
  'services.*.ulimits.*': toInt,
  'services.*.ulimits.*.hard': toInt,
  'services.*.ulimits.*.soft': toInt,
  'services.*.volumes.*.read_only': toBoolean,
  'services.*.volumes.*.volume.nocopy': toBoolean,
  'networks.*.external': toBoolean,
  'networks.*.internal': toBoolean,
  'networks.*.attachable': toBoolean,
  'networks.*.enable_ipv6': toBoolean,
  'volumes.*.external': toBoolean,
  'secrets.*.external': toBoolean,
  'configs.*.external': toBoolean,
};
