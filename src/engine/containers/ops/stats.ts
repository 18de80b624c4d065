import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { EngineContext } from '../../context.js';
import type { ContainerRecord } from '../record.js';

const NANOS_PER_TICK = 1e9 / 100;

interface Sample {
  read: string;
  cpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage: number; online_cpus: number; throttling_data: { throttled_periods: number } };
  memory_stats: { usage?: number; limit?: number };
  pids_stats: { current?: number; limit?: number };
}

/** One stats sample in Docker's shape (a stopped container gives zeros, as Docker does). */
export function sampleStats(engine: EngineContext, record: ContainerRecord): Sample {
  const handle = engine.running.get(record.id);
  const stats = handle?.cgroup.stats();
  return {
    read: new Date().toISOString(),
    cpu_stats: {
      cpu_usage: { total_usage: stats?.cpu.usageNanos ?? 0 },
      system_cpu_usage: systemCpuNanos(),
      online_cpus: cpus().length,
      throttling_data: { throttled_periods: stats?.cpu.throttledPeriods ?? 0 },
    },
    memory_stats: stats ? { usage: stats.memory.usageBytes, limit: stats.memory.limitBytes ?? totalMemory() } : {},
    pids_stats: stats ? { current: stats.pids.current, ...(stats.pids.limit ? { limit: stats.pids.limit } : {}) } : {},
  };
}

/** GET /containers/{id}/stats: each sample carries the previous one as `precpu_stats` for CPU %. */
export async function* streamStats(engine: EngineContext, record: ContainerRecord, opts: { stream: boolean; intervalMs?: number }): AsyncGenerator<Record<string, unknown>> {
  let previous = sampleStats(engine, record);
  for (;;) {
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? (opts.stream ? 1000 : 500)));
    const current = sampleStats(engine, record);
    yield { ...current, preread: previous.read, precpu_stats: previous.cpu_stats, name: `/${record.name}`, id: record.id };
    if (!opts.stream || !engine.running.has(record.id)) return;
    previous = current;
  }
}

function systemCpuNanos(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  return line.split(/\s+/).slice(1, 8).reduce((sum, v) => sum + Number(v), 0) * NANOS_PER_TICK;
}

function totalMemory(): number {
  return Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) * 1024;
}
