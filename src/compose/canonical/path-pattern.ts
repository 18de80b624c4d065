import type { ModelPath } from '../types.js';

/**
 * A rule table keyed by dotted path patterns, e.g. `'services.*.ports'`.
 * `*` matches any one segment (a map key or a list index); other segments match exactly.
 * Model keys may contain dots (`com.example.label`), which is fine: paths are arrays, only patterns are dotted.
 */
export interface PatternTable<T> {
  /** The rule whose pattern matches the whole path; the most specific one (fewest `*`) wins. */
  lookup(path: ModelPath): T | undefined;
}

interface CompiledPattern<T> {
  segments: string[];
  wildcards: number;
  rule: T;
}

export function patternTable<T>(rules: Readonly<Record<string, T>>): PatternTable<T> {
  const byLength = new Map<number, CompiledPattern<T>[]>();
  for (const [pattern, rule] of Object.entries(rules)) {
    const segments = pattern.split('.');
    const compiled = { segments, wildcards: segments.filter((s) => s === '*').length, rule };
    const bucket = byLength.get(segments.length) ?? [];
    bucket.push(compiled);
    byLength.set(segments.length, bucket);
  }
  for (const bucket of byLength.values()) bucket.sort((a, b) => a.wildcards - b.wildcards);
  return {
    lookup(path) {
      const candidates = byLength.get(path.length);
      return candidates?.find((c) => matches(c.segments, path))?.rule;
    },
  };
}

function matches(segments: readonly string[], path: ModelPath): boolean {
  return segments.every((segment, i) => segment === '*' || segment === String(path[i]));
}

/** `services.web.ports[0]`: how a path is named in messages. */
export function describePath(path: ModelPath): string {
  return path.reduce<string>((text, seg) => (typeof seg === 'number' ? `${text}[${seg}]` : text ? `${text}.${seg}` : seg), '');
}
