// Which instructions exist, which forms they accept, and the argument checks Docker makes while
// parsing (before any variable is known), so such mistakes are reported with their line.
import { UserError } from '../../errors.js';
import type { RawInstruction } from './parse.js';
import { splitRawWords, type EscapeChar } from './words.js';

export const INSTRUCTIONS: ReadonlySet<string> = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** Instructions whose arguments may be a JSON array (exec form). */
export const JSON_FORM: ReadonlySet<string> = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'COPY', 'ADD', 'VOLUME', 'SHELL']);

/** Instructions that may take here-documents. */
export const HEREDOC_FORM: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);

/** CMD and ENTRYPOINT may be empty (they then clear the command); everything else needs arguments. */
const MAY_BE_EMPTY: ReadonlySet<string> = new Set(['CMD', 'ENTRYPOINT']);

export function checkArguments(instr: RawInstruction, file: string, escape: EscapeChar): void {
  const position = { file, line: instr.line };
  const { keyword, args } = instr;
  if (args === '' && !MAY_BE_EMPTY.has(keyword)) throw new UserError(`${keyword} requires at least one argument`, position);
  switch (keyword) {
    case 'FROM': {
      const words = splitRawWords(args, escape);
      if (words.length !== 1 && words.length !== 3) throw new UserError('FROM requires either one or three arguments', position);
      if (words.length === 3 && words[1]!.toLowerCase() !== 'as') throw new UserError(`FROM's second argument must be AS, not "${words[1]}"`, position);
      break;
    }
    case 'COPY':
    case 'ADD': {
      const count = instr.json?.length ?? splitRawWords(args, escape).length;
      if (count < 2) throw new UserError(`${keyword} requires at least two arguments, but only one was provided. Destination could not be determined.`, position);
      break;
    }
    case 'SHELL':
      if (instr.json === undefined) throw new UserError('SHELL requires the arguments to be in JSON form', position);
      break;
    case 'ONBUILD': {
      const trigger = (/^\S+/.exec(args)?.[0] ?? '').toUpperCase();
      if (trigger === 'ONBUILD') throw new UserError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", position);
      if (trigger === 'FROM' || trigger === 'MAINTAINER') throw new UserError(`${trigger} isn't allowed as an ONBUILD trigger`, position);
      if (!INSTRUCTIONS.has(trigger)) throw new UserError(`unknown instruction: ${trigger}`, position);
      break;
    }
  }
}
