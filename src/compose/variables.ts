import { readFileSync } from 'node:fs';
import { STDIN_FILE } from './discovery.js';
import { parseComposeText } from './parse.js';
import { variablesOf, type VariableRef } from './template.js';
import { isDict } from './types.js';

/** One row of `config --variables`. */
export interface ModelVariable {
  name: string;
  required: boolean;
  defaultValue?: string | undefined;
  alternateValue?: string | undefined;
}

/** Every variable the compose files refer to, with what their templates say about it, sorted by name. */
export function listVariables(files: string[]): ModelVariable[] {
  const found = new Map<string, ModelVariable>();
  for (const file of files) {
    if (file === STDIN_FILE) continue;
    const { data } = parseComposeText(readFileSync(file, 'utf8'), file);
    for (const text of stringsIn(data)) for (const ref of variablesOf(text)) record(found, ref);
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function record(found: Map<string, ModelVariable>, ref: VariableRef): void {
  const row = found.get(ref.name) ?? { name: ref.name, required: false };
  if (ref.modifier === ':?' || ref.modifier === '?') row.required = true;
  if (ref.modifier === ':-' || ref.modifier === '-') row.defaultValue = ref.argSource;
  if (ref.modifier === ':+' || ref.modifier === '+') row.alternateValue = ref.argSource;
  found.set(ref.name, row);
}

function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (isDict(value)) for (const item of Object.values(value)) yield* stringsIn(item);
}
