// The argv that RUN, CMD and ENTRYPOINT stand for: exec form as written, shell form through the
// stage's SHELL, and RUN here-documents turned into a script for that shell.
import type { RawInstruction } from './parse.js';
import { splitRawWords } from './words.js';

/** CMD/ENTRYPOINT/RUN: the JSON form as is; the shell form as [...shell, args]. */
export function shellOrExec(instr: RawInstruction, shell: readonly string[]): string[] {
  return instr.json ? [...instr.json] : [...shell, instr.args];
}

const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'ksh', 'mksh', 'zsh']);

/**
 * The argv a RUN executes:
 * - exec form: as written; shell form without here-documents: [...shell, args];
 * - only a here-document (`RUN <<EOF`): its body is the script, run by the shell
 *   ([...shell, body]). A body starting with `#!` is run by that interpreter instead, as Docker
 *   does: when the shell is a POSIX one, the script writes the body to a temporary executable
 *   file, runs it and removes it; with any other shell it falls back to [...shell, body];
 * - here-documents inside a command (`RUN python3 <<EOF`, `RUN <<A cat >a && <<B cat >b`): the
 *   shell gets the command line followed by each body and its delimiter, so the shell itself
 *   feeds them (and handles quoting and `<<-` of the delimiters).
 */
export function runScript(instr: RawInstruction, shell: readonly string[]): string[] {
  if (instr.json) return [...instr.json];
  if (instr.heredocs.length === 0) return [...shell, instr.args];
  const words = splitRawWords(instr.args);
  if (instr.heredocs.length === 1 && words.length === 1 && /^<<-?/.test(words[0]!)) {
    const body = instr.heredocs[0]!.content;
    if (body.startsWith('#!') && POSIX_SHELLS.has(basename(shell[0] ?? ''))) return [...shell, shebangScript(body)];
    return [...shell, body];
  }
  return [...shell, instr.args + instr.heredocs.map((h) => `\n${h.content}${h.name}`).join('')];
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A POSIX sh script that runs `body` as an executable file, keeping its exit status. */
function shebangScript(body: string): string {
  const lines = new Set(body.split('\n'));
  let delim = 'TSCOMPOSE_SCRIPT_EOF';
  while (lines.has(delim)) delim += '_';
  const content = body.endsWith('\n') ? body : `${body}\n`;
  return [
    'tscompose_script=$(mktemp) || exit 1',
    `cat > "$tscompose_script" <<'${delim}'`,
    `${content}${delim}`,
    'chmod +x "$tscompose_script" && "$tscompose_script"',
    'tscompose_status=$?',
    'rm -f "$tscompose_script"',
    'exit $tscompose_status',
  ].join('\n');
}
