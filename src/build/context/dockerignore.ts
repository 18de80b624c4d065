/**
 * `.dockerignore`, as Docker documents it: one pattern a line (Go `filepath.Match` syntax plus `**`), `#` in
 * the first column starts a comment, `!` makes an exception, the last pattern matching a path decides, and a
 * pattern matching a parent directory matches everything below it.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { cleanPath, compileGlob } from './glob.js';

/** The patterns of a `.dockerignore` text: trimmed, comments and blank lines dropped, cleaned, no leading `/`. */
export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const exception = pattern.startsWith('!');
    if (exception) pattern = pattern.slice(1).trim();
    if (pattern !== '') {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    out.push(exception ? `!${pattern}` : pattern);
  }
  return out;
}

/**
 * The ignore file for a build: `<Dockerfile name>.dockerignore` next to the Dockerfile wins over the context's
 * `.dockerignore`; neither -> no patterns. A relative `dockerfilePath` is taken inside the context.
 */
export function readIgnorePatterns(contextDir: string, dockerfilePath?: string): string[] {
  const candidates: string[] = [];
  if (dockerfilePath) {
    const dockerfile = resolve(contextDir, dockerfilePath);
    candidates.push(join(dirname(dockerfile), `${basename(dockerfile)}.dockerignore`));
  }
  candidates.push(join(contextDir, '.dockerignore'));
  for (const file of candidates) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new UserError(`cannot read ${file}: ${(e as Error).message}`);
    }
    return parseDockerignore(text);
  }
  return [];
}

interface Rule {
  text: string;
  exception: boolean;
  regex: RegExp;
  /** The pattern's `/`-separated parts, for `mayInclude` (one regex per part without `**`). */
  segments: Array<RegExp | 'doublestar'>;
}

export class IgnoreMatcher {
  private readonly rules: Rule[];
  private readonly hasExceptions: boolean;

  /** Patterns as `parseDockerignore` gives them; a bad one (a bare `!`, an unclosed `[`) is a UserError. */
  constructor(patterns: string[]) {
    this.rules = patterns.map((raw) => {
      const exception = raw.startsWith('!');
      const text = exception ? raw.slice(1) : raw;
      if (text === '') throw new UserError(`illegal exclusion pattern: "${raw}" in .dockerignore`);
      return {
        text,
        exception,
        regex: compileGlob(text, true),
        segments: text.split('/').map((part) => (part.includes('**') ? 'doublestar' : compileGlob(part))),
      };
    });
    this.hasExceptions = this.rules.some((r) => r.exception);
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Whether `relPath` (relative to the context, `/`-separated) is left out of the context. */
  ignores(relPath: string): boolean {
    const path = cleanPath(relPath.replace(/^\/+/, ''));
    if (path === '.' || this.rules.length === 0) return false;
    const parts = path.split('/');
    const parents: string[] = [];
    for (let i = 1; i < parts.length; i++) parents.push(parts.slice(0, i).join('/'));
    let ignored = false;
    for (const rule of this.rules) {
      // only a rule that would change the answer is worth evaluating
      if (rule.exception !== ignored) continue;
      if (rule.regex.test(path) || parents.some((p) => rule.regex.test(p))) ignored = !rule.exception;
    }
    return ignored;
  }

  /**
   * Whether something below the directory `relDir` may be included again by an exception pattern, so that a
   * walk must go into it even though it is ignored itself. May say yes when nothing is (`**` is not looked into).
   */
  mayIncludeBelow(relDir: string): boolean {
    if (!this.hasExceptions) return false;
    const path = cleanPath(relDir.replace(/^\/+/, ''));
    const parts = path === '.' ? [] : path.split('/');
    return this.rules.some((rule) => rule.exception && couldMatchBelow(rule.segments, parts));
  }
}

/** Whether a pattern could match `dir/...` (or `dir` or one of its parents, which also covers what is below). */
function couldMatchBelow(segments: Rule['segments'], dirParts: string[]): boolean {
  for (let i = 0; i < dirParts.length; i++) {
    const segment = segments[i];
    if (segment === undefined) return true; // matched a parent of the directory
    if (segment === 'doublestar') return true;
    if (!segment.test(dirParts[i]!)) return false;
  }
  return true;
}
