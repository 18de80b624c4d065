// Here-documents of RUN, COPY and ADD: `<<EOF` markers on the instruction line, and the bodies that
// follow it, one per marker in order, each ending at a line equal to its delimiter.
import { UserError } from '../../errors.js';
import type { Heredoc } from './parse.js';
import { splitRawWords, type EscapeChar } from './words.js';

export interface HeredocMarker {
  name: string;
  /** `<<-`: leading tabs are stripped from the body lines and the delimiter line. */
  chomp: boolean;
  /** False when any part of the delimiter was quoted or escaped: the body is taken literally. */
  expand: boolean;
}

/** Markers are whole words starting with `<<` (RUN also allows an fd: `3<<EOF`); quoted `"<<X"` is not one. */
export function findHeredocMarkers(args: string, allowFd: boolean, escape: EscapeChar): HeredocMarker[] {
  const markers: HeredocMarker[] = [];
  for (const word of splitRawWords(args, escape)) {
    const m = /^(\d*)<<(-?)([\s\S]*)$/.exec(word);
    if (!m || (m[1] !== '' && !allowFd)) continue;
    const rest = m[3]!;
    if (rest === '' || rest.includes('<')) continue;
    const name = unquoteDelimiter(rest, escape);
    if (name === '') continue;
    markers.push({ name, chomp: m[2] === '-', expand: !/['"]/.test(rest) && !rest.includes(escape) });
  }
  return markers;
}

/** The delimiter's name: quotes removed, escaped characters taken literally, nothing expanded. */
function unquoteDelimiter(raw: string, escape: EscapeChar): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (quote === '"' && ch === escape && i + 1 < raw.length) out += raw[++i];
      else out += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === escape && i + 1 < raw.length) out += raw[++i];
    else out += ch;
  }
  return out;
}

/**
 * Reads the bodies for `markers` from `lines[start]` on. Returns them and the index of the first line
 * after the last delimiter. Body lines are raw: no comments, continuations or directives inside.
 */
export function readHeredocBodies(
  lines: readonly string[],
  start: number,
  markers: readonly HeredocMarker[],
  file: string,
  line: number,
): { heredocs: Heredoc[]; next: number } {
  const heredocs: Heredoc[] = [];
  let i = start;
  for (const marker of markers) {
    let content = '';
    let closed = false;
    while (i < lines.length) {
      const raw = lines[i++]!;
      const text = marker.chomp ? raw.replace(/^\t+/, '') : raw;
      if (text === marker.name) {
        closed = true;
        break;
      }
      content += `${text}\n`;
    }
    if (!closed) throw new UserError(`unterminated heredoc: no line "${marker.name}" ends it`, { file, line });
    heredocs.push({ name: marker.name, content, expand: marker.expand });
  }
  return { heredocs, next: i };
}
