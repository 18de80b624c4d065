// Checks an instruction's --flags against the ones it accepts and groups their values by name.
import { UserError } from '../../errors.js';
import type { DockerfileFlag, RawInstruction } from './parse.js';

export interface FlagRules {
  /** Flags that are booleans: bare `--link` means "true", a value must be true/false (normalized). */
  booleans?: readonly string[];
  /** When given, only these flags may repeat (RUN --mount); others used twice are an error. */
  repeatable?: readonly string[];
}

const TRUE = new Set(['1', 't', 'true']);
const FALSE = new Set(['0', 'f', 'false']);

/**
 * name -> values in order. Unknown flag: UserError "unknown flag: --x" at the instruction's line.
 * Without `rules.booleans` a bare flag gets the value "true"; with it, a bare non-boolean flag is an
 * error ("missing a value on flag: --from"), as in Docker.
 */
export function parseFlags(
  flags: readonly DockerfileFlag[],
  allowed: readonly string[],
  instr: RawInstruction,
  file: string,
  rules: FlagRules = {},
): Map<string, string[]> {
  const position = { file, line: instr.line };
  const out = new Map<string, string[]>();
  for (const { name, value } of flags) {
    if (!allowed.includes(name)) throw new UserError(`unknown flag: --${name}`, position);
    let v = value;
    if (rules.booleans?.includes(name)) {
      const lower = (v ?? 'true').toLowerCase();
      if (TRUE.has(lower)) v = 'true';
      else if (FALSE.has(lower)) v = 'false';
      else throw new UserError(`expecting boolean value for flag --${name}, not: ${v}`, position);
    } else if (v === undefined) {
      if (rules.booleans) throw new UserError(`missing a value on flag: --${name}`, position);
      v = 'true';
    }
    const values = out.get(name) ?? [];
    if (values.length > 0 && rules.repeatable && !rules.repeatable.includes(name)) {
      throw new UserError(`duplicate flag specified: --${name}`, position);
    }
    values.push(v);
    out.set(name, values);
  }
  return out;
}
