import type * as z from 'zod';
import { isDict, type ModelPath } from '../types.js';

/** One thing wrong with the file, in words: `path` is named in the message, `at` is where to point. */
export interface Problem {
  path: ModelPath;
  at: ModelPath;
  message: string;
}

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];

/** Turns zod's issues into plain problems, resolving each failed union to its most useful explanation. */
export function problemsFrom(issues: readonly Issue[], data: unknown, base: Path = []): Problem[] {
  return issues.flatMap((issue) => problemFrom(issue, data, [...base, ...keysOf(issue.path)]));
}

function problemFrom(issue: Issue, data: unknown, path: Path): Problem[] {
  switch (issue.code) {
    case 'invalid_union':
      return unionProblem(issue.errors, data, path);
    case 'invalid_key':
      return [additionalProperty(path.slice(0, -1), String(path[path.length - 1]))];
    case 'unrecognized_keys':
      return issue.keys.map((key) => additionalProperty(path, key));
    case 'custom':
      return [customProblem(issue, path)];
    default:
      return [missingProperty(data, path) ?? { path, at: path, message: describeIssue(issue, valueAt(data, path)) }];
  }
}

/** An issue about a key the mapping lacks is reported on the mapping: "missing required property 'x'". */
function missingProperty(data: unknown, path: Path): Problem | undefined {
  const key = path[path.length - 1];
  const parent = path.slice(0, -1);
  const mapping = valueAt(data, parent);
  if (typeof key !== 'string' || !isDict(mapping) || Object.hasOwn(mapping, key)) return undefined;
  return { path: parent, at: parent, message: `missing required property '${key}'` };
}

function additionalProperty(path: Path, key: string): Problem {
  return { path, at: [...path, key], message: `additional property '${key}' is not allowed` };
}

function customProblem(issue: z.core.$ZodIssueCustom, path: Path): Problem {
  const params = issue.params ?? {};
  if (typeof params.unknownKey === 'string') return additionalProperty(path, params.unknownKey);
  if (typeof params.duplicateOf === 'number') {
    const repeat = String(path[path.length - 1]);
    return { path: path.slice(0, -1), at: path, message: `items ${params.duplicateOf} and ${repeat} are equal; items must be unique` };
  }
  return { path, at: path, message: issue.message };
}

/** A single non-union issue, e.g. "must be a string, got a number". */
function describeIssue(issue: Issue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${typeNoun(issue.expected)}, got ${valueNoun(value)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.pattern ? `must match the pattern ${issue.pattern}` : `must be a valid ${issue.format}`;
    case 'too_small':
      return `must be ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/**
 * When every alternative fails on the value's own type, say what the value could have been
 * ("must be a string or a list"); otherwise explain the alternative that got furthest into the value.
 */
function unionProblem(branches: readonly (readonly Issue[])[], data: unknown, path: Path): Problem[] {
  let best: readonly Issue[] | undefined;
  let bestDepth = 0;
  for (const branch of branches) {
    const depth = progress(branch);
    if (depth > bestDepth) [best, bestDepth] = [branch, depth];
  }
  if (best) return problemsFrom(best, data, path);
  const expected = [...new Set(branches.flatMap((branch) => branch.flatMap(expectations)))];
  return [{ path, at: path, message: `must be ${joinAlternatives(expected)}, got ${valueNoun(valueAt(data, path))}` }];
}

/** How far an alternative got: 0 when it failed on the value's type alone, else the depth of its deepest issue. */
function progress(issues: readonly Issue[]): number {
  if (issues.every((issue) => expectations(issue).length > 0)) return 0;
  return 1 + Math.max(...issues.map((issue) => issue.path.length));
}

/** What a root-level type issue asked for ("a string", "'all'"), or nothing when the issue is about content. */
function expectations(issue: Issue): string[] {
  if (issue.path.length > 0) return [];
  if (issue.code === 'invalid_type') return [typeNoun(issue.expected)];
  if (issue.code === 'invalid_value') return issue.values.map((v) => `'${String(v)}'`);
  if (issue.code === 'invalid_union') {
    const inner = issue.errors.map((branch) => branch.flatMap(expectations));
    return inner.every((e) => e.length > 0) ? inner.flat() : [];
  }
  return [];
}

function joinAlternatives(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? 'valid';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

const TYPE_NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  null: 'null',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

function typeNoun(expected: string): string {
  return TYPE_NOUNS[expected] ?? expected;
}

function valueNoun(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isDict(value)) return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return typeNoun(typeof value);
}

function keysOf(path: readonly PropertyKey[]): Path {
  return path.map((key) => (typeof key === 'number' ? key : String(key)));
}

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isDict(node)) node = node[String(key)];
    else return undefined;
  }
  return node;
}
