// HEALTHCHECK [--interval=D --timeout=D --start-period=D --start-interval=D --retries=N] CMD ... | NONE
import { UserError } from '../../errors.js';
import { parseGoDuration } from '../../util/go-duration.js';
import { parseFlags } from './flag-values.js';
import { parseJsonArray } from './json-form.js';
import type { RawInstruction } from './parse.js';

export interface Healthcheck {
  /** ["CMD", ...argv] for the exec form, ["CMD-SHELL", "command"] for the shell form. */
  test: string[];
  /** Nanoseconds; present only when the flag was given (0 means "use the default", as in Docker). */
  interval?: number;
  timeout?: number;
  startPeriod?: number;
  startInterval?: number;
  retries?: number;
}

const DURATION_FLAGS = [
  ['interval', 'interval'],
  ['timeout', 'timeout'],
  ['start-period', 'startPeriod'],
  ['start-interval', 'startInterval'],
] as const;

export function parseHealthcheck(instr: RawInstruction, file: string): Healthcheck | 'NONE' {
  const position = { file, line: instr.line };
  const m = /^(\S*)\s*([\s\S]*)$/.exec(instr.args)!;
  const type = m[1]!.toUpperCase();
  const rest = m[2]!.trim();
  if (type === 'NONE') {
    if (rest !== '' || instr.flags.length > 0) throw new UserError('HEALTHCHECK NONE takes no arguments', position);
    return 'NONE';
  }
  if (type !== 'CMD') throw new UserError(`unknown type "${m[1]}" in HEALTHCHECK (try CMD)`, position);
  if (rest === '') throw new UserError('missing command after HEALTHCHECK CMD', position);

  const flags = parseFlags(
    instr.flags,
    [...DURATION_FLAGS.map(([flag]) => flag), 'retries'],
    instr,
    file,
    { booleans: [], repeatable: [] },
  );
  const json = parseJsonArray(rest);
  const result: Healthcheck = { test: json ? ['CMD', ...json] : ['CMD-SHELL', rest] };
  for (const [flag, key] of DURATION_FLAGS) {
    const text = flags.get(flag)?.[0];
    if (text === undefined) continue;
    const ns = parseGoDuration(text);
    if (ns === undefined) throw new UserError(`--${flag}: invalid duration "${text}" (examples: 30s, 1m30s, 500ms)`, position);
    if (ns < 0) throw new UserError(`--${flag} cannot be negative: ${text}`, position);
    if (ns > 0 && ns < 1e6) throw new UserError(`--${flag} cannot be less than 1ms: ${text}`, position);
    result[key] = ns;
  }
  const retries = flags.get('retries')?.[0];
  if (retries !== undefined) {
    if (!/^[+-]?\d+$/.test(retries)) throw new UserError(`--retries must be a whole number, not "${retries}"`, position);
    const n = Number(retries);
    if (n < 0) throw new UserError(`--retries cannot be negative: ${retries}`, position);
    result.retries = n;
  }
  return result;
}
