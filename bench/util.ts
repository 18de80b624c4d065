import { spawnSync } from 'node:child_process';

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs a command `runs` times (after one warm-up) and returns the median wall time in milliseconds. */
export function timeCommand(command: string, args: string[], opts: { cwd: string; runs: number; env?: NodeJS.ProcessEnv }): number {
  const once = (): number => {
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args, { cwd: opts.cwd, stdio: 'ignore', ...(opts.env ? { env: opts.env } : {}) });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  once();
  return median(Array.from({ length: opts.runs }, once));
}

/** True when `command` can be run here (for side-by-side figures of other tools). */
export function installed(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

export function report(label: string, ms: number): void {
  console.log(`${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms`);
}
