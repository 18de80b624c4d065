import type { Dict } from '../types.js';
import { GoRenderer, type OutputFormat } from './render.js';
import { PROJECT } from './schema.js';

export type { OutputFormat } from './render.js';

/**
 * A new model whose key order and value forms are those of `docker compose config`: compose-go's struct
 * field order, Go-sorted maps, Go durations and byte sizes, zero values omitted. Print it with the
 * `yaml` package for the YAML output, or with JSON.stringify after rendering with `format: 'json'`
 * (encoding/json: bytewise key order, `command`/`entrypoint` null when unset, no `x-*` below the top).
 */
export function renderForConfig(model: Dict, options: { format?: OutputFormat } = {}): Dict {
  const format = options.format ?? 'yaml';
  const rendered = new GoRenderer(format).struct(model, PROJECT, true);
  if (format === 'yaml') return rendered;
  // Project.MarshalJSON builds a map: its keys come out sorted.
  return Object.fromEntries(Object.keys(rendered).sort().map((k) => [k, rendered[k]]));
}
