import { engineConfigFromEnv } from '../engine/config.js';
import { AutostartingClient } from '../engine/client/autostart.js';
import { EngineApi } from '../engine/client/engine-api.js';
import type { CliIO } from './io.js';

/** The engine for this CLI's environment (TSCOMPOSE_ROOT / TSCOMPOSE_HOST), started in the background if needed. */
export async function connectEngine(io: CliIO): Promise<EngineApi> {
  return new EngineApi(new AutostartingClient(engineConfigFromEnv(io.env), io.env));
}
