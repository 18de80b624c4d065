import { readFileSync } from 'node:fs';
import { conflict } from '../../api/http.js';
import type { EngineContext } from '../../context.js';
import type { ContainerRecord } from '../record.js';

const CLOCK_TICKS = 100; // USER_HZ on Linux
const TITLES = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];

/** GET /containers/{id}/top: the container's processes (host PIDs) in `ps -ef` columns, read from /proc. */
export function topContainer(engine: EngineContext, record: ContainerRecord): { Titles: string[]; Processes: string[][] } {
  const handle = engine.running.get(record.id);
  if (!handle) throw conflict(`Container ${record.id} is not running`);
  const bootTime = bootTimeSeconds();
  const processes = handle.cgroup
    .pids()
    .sort((a, b) => a - b)
    .flatMap((pid) => {
      try {
        return [processRow(pid, bootTime)];
      } catch {
        return []; // exited while we looked
      }
    });
  return { Titles: TITLES, Processes: processes };
}

function processRow(pid: number, bootTime: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = fields[1]!;
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  const started = new Date((bootTime + Number(fields[19]) / CLOCK_TICKS) * 1000);
  const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  return [uid, String(pid), ppid, '0', hhmm(started), '?', hms(cpuSeconds), cmdline || `[${comm}]`];
}

function bootTimeSeconds(): number {
  return Number(/^btime (\d+)/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? 0);
}

function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function hms(seconds: number): string {
  const s = Math.floor(seconds);
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
}
