import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';
import { renderTable } from '../../table.js';
import { binarySize } from '../../../util/units.js';

interface StatsSample {
  name: string;
  id: string;
  cpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage: number; online_cpus: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage: number };
  memory_stats: { usage?: number; limit?: number };
  pids_stats: { current?: number };
}

/** `container stats`: Docker's columns and CPU % formula (container delta over system delta, times CPUs). */
export function statsCommand(io: CliIO): Command {
  return new Command('stats')
    .description('Display a live stream of container resource usage statistics')
    .argument('<containers...>')
    .option('--no-stream', 'Disable streaming stats and only pull the first result')
    .action(async (names: string[], flags: { stream: boolean }) => {
      const engine = await connectEngine(io);
      const latest = new Map<string, string[]>();
      const print = (): void => io.stdout(renderTable(['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS'], names.map((n) => latest.get(n) ?? [n, '', '', '', '', ''])));
      await Promise.all(
        names.map(async (name) => {
          const res = await engine.stats(name, flags.stream);
          for await (const line of createInterface({ input: res })) {
            if (line.trim() === '') continue;
            latest.set(name, statsRow(JSON.parse(line) as StatsSample));
            if (flags.stream) print();
          }
        }),
      );
      if (!flags.stream) print();
    });
}

export function statsRow(s: StatsSample): string[] {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const systemDelta = s.cpu_stats.system_cpu_usage - s.precpu_stats.system_cpu_usage;
  const cpu = systemDelta > 0 ? (cpuDelta / systemDelta) * s.cpu_stats.online_cpus * 100 : 0;
  const usage = s.memory_stats.usage ?? 0;
  const limit = s.memory_stats.limit ?? 0;
  return [s.id.slice(0, 12), s.name.replace(/^\//, ''), `${cpu.toFixed(2)}%`, `${binarySize(usage)} / ${binarySize(limit)}`, `${limit ? ((usage / limit) * 100).toFixed(2) : '0.00'}%`, String(s.pids_stats.current ?? 0)];
}

