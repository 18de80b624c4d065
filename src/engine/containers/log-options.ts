import { parseLogOptions, type LogOptions } from '../logs/json-file.js';
import type { HostConfig } from '../api/docker-types.js';

/** json-file is the engine's only driver: its options are checked (at create, as Docker does); others are not ours. */
export function logOptionsOf(record: { hostConfig: HostConfig }): LogOptions {
  const driver = record.hostConfig.LogConfig?.Type ?? 'json-file';
  return driver === 'json-file' || driver === '' ? parseLogOptions(record.hostConfig.LogConfig?.Config ?? {}) : {};
}
