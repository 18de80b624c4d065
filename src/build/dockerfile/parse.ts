// Dockerfile text -> instructions. Follows Docker's reader: parser directives at the top, comment
// lines dropped (also inside continuations), escape+newline joins lines, empty lines inside a
// continuation skipped, here-document bodies collected after the instruction's last line.
// Nothing is expanded here: variables depend on the stage, see expand.ts and key-values.ts.
import { UserError } from '../../errors.js';
import { readDirectives } from './directives.js';
import { extractFlags } from './flags.js';
import { findHeredocMarkers, readHeredocBodies } from './heredoc.js';
import { checkArguments, HEREDOC_FORM, INSTRUCTIONS, JSON_FORM } from './instructions.js';
import { parseJsonArray } from './json-form.js';
import type { EscapeChar } from './words.js';

/** `--from=build` -> {name:'from', value:'build'}; `--link` -> value undefined. */
export interface DockerfileFlag {
  name: string;
  value: string | undefined;
}

export interface Heredoc {
  name: string;
  /** Every line followed by "\n" (empty body: ""); tabs already stripped for `<<-`. */
  content: string;
  /** False when the delimiter was quoted (`<<'EOF'`, `<<"EOF"`): no variable expansion. */
  expand: boolean;
}

export interface RawInstruction {
  /** Upper-cased: FROM RUN COPY ... */
  keyword: string;
  /** 1-based line of the keyword. */
  line: number;
  /** Last line, including continuations and here-document bodies. */
  endLine: number;
  /** Leading --flags, in order. */
  flags: DockerfileFlag[];
  /** After the flags; continuation lines joined; trimmed; here-document markers kept, bodies not. */
  args: string;
  /** The values when args is a JSON array of strings (exec form) of an instruction that has one. */
  json: string[] | undefined;
  heredocs: Heredoc[];
  /** `KEYWORD rest` with flags, as written (continuations joined). */
  original: string;
}

export interface Dockerfile {
  escape: EscapeChar;
  syntax?: string;
  /** The `# check=` directive, kept for completeness. */
  check?: string;
  instructions: RawInstruction[];
}

export interface ParseOptions {
  /** Require a FROM before any instruction but ARG (default true). */
  requireFrom?: boolean;
}

const isBlank = (line: string): boolean => /^\s*$/.test(line);
const isComment = (line: string): boolean => /^\s*#/.test(line);

export function parseDockerfile(text: string, file = 'Dockerfile', options: ParseOptions = {}): Dockerfile {
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const { escape, syntax, check, next } = readDirectives(lines, file);
  // The escape character followed only by blanks at the end of a line continues the instruction.
  const continuation = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const instructions: RawInstruction[] = [];

  let i = next;
  while (i < lines.length) {
    const line = i + 1;
    const first = lines[i++]!;
    if (isBlank(first) || isComment(first)) continue;
    let joined = first.trimStart();
    let more = continuation.test(joined);
    if (more) joined = joined.replace(continuation, '');
    while (more && i < lines.length) {
      const next = lines[i++]!;
      if (isComment(next) || isBlank(next)) continue;
      more = continuation.test(next);
      joined += more ? next.replace(continuation, '') : next;
    }
    if (isBlank(joined)) continue;

    const instr = buildInstruction(joined, line, i, file, escape);
    if (HEREDOC_FORM.has(instr.keyword) && instr.json === undefined) {
      const markers = findHeredocMarkers(instr.args, instr.keyword === 'RUN', escape);
      if (markers.length > 0) {
        const bodies = readHeredocBodies(lines, i, markers, file, line);
        instr.heredocs = bodies.heredocs;
        i = bodies.next;
        instr.endLine = i;
      }
    }
    checkArguments(instr, file, escape);
    instructions.push(instr);
  }

  if (instructions.length === 0) throw new UserError('the Dockerfile has no instructions: no build stage in current context', { file });
  if (options.requireFrom !== false) {
    const first = instructions.find((x) => x.keyword !== 'ARG');
    if (!first) throw new UserError('no build stage in current context: the Dockerfile has no FROM', { file });
    if (first.keyword !== 'FROM') throw new UserError(`no build stage in current context: ${first.keyword} before the first FROM`, { file, line: first.line });
  }
  const result: Dockerfile = { escape, instructions };
  if (syntax !== undefined) result.syntax = syntax;
  if (check !== undefined) result.check = check;
  return result;
}

function buildInstruction(text: string, line: number, endLine: number, file: string, escape: EscapeChar): RawInstruction {
  const position = { file, line };
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text.trim())!;
  const keyword = m[1]!.toUpperCase();
  const rest = m[2]!.trim();
  if (!INSTRUCTIONS.has(keyword)) throw new UserError(`unknown instruction: ${keyword}`, position);
  const { flags, rest: args } = extractFlags(rest, escape, position);
  return {
    keyword,
    line,
    endLine,
    flags,
    args,
    json: JSON_FORM.has(keyword) ? parseJsonArray(args) : undefined,
    heredocs: [],
    original: rest === '' ? keyword : `${keyword} ${rest}`,
  };
}
