import {
  Alias,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  visit,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { UserError, type SourcePosition } from '../errors.js';
import { isDict, OVERRIDE_TAG, RESET_TAG, type Dict, type ModelPath, type ParsedFile } from './types.js';

/** Compose's YAML tags: `!reset` drops an inherited value, `!override` replaces it whole. */
const COMPOSE_TAGS = ['!reset', '!override'];

/** Go's yaml.v3 (docker compose) reads `0440` as octal, as YAML 1.1 did; YAML 1.2 alone would read 440 (file modes!). */
const LEGACY_OCTAL = {
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  default: true,
  test: /^0[0-7]+$/,
  resolve: (source: string) => parseInt(source, 8),
};

/**
 * Parses one compose file's text into plain data plus a locator pointing back into the text.
 * Anchors, aliases and `<<` merge keys are resolved as in docker compose; duplicate keys are errors.
 */
export function parseComposeText(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(stripBom(text), {
    lineCounter,
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: (defaults) => [LEGACY_OCTAL, ...defaults, ...COMPOSE_TAGS.map((tag) => ({ tag, resolve: (s: string) => s }))],
  });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const firstError = doc.errors[0];
  if (firstError) throw new UserError(yamlErrorMessage(firstError.message), position(firstError.pos[0]));
  if (/!(reset|override)\b/.test(text)) replaceComposeTags(doc);
  const data = toPlainData(doc, position);
  if (data !== null && data !== undefined && !isDict(data)) {
    throw new UserError('top-level object must be a mapping', position(doc.contents?.range?.[0] ?? 0));
  }
  return { file, data: (data ?? {}) as Dict, locate: (path) => locateNode(doc, path, position) };
}

/** Resolving aliases and merge keys can still fail (a merge source that is not a mapping): a user error too. */
function toPlainData(doc: Document, position: (offset: number) => SourcePosition): unknown {
  try {
    return doc.toJS({ maxAliasCount: 10_000 }) as unknown;
  } catch (e) {
    throw new UserError(`yaml: ${(e as Error).message}`, position(doc.contents?.range?.[0] ?? 0));
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** yaml's messages end with a code frame on later lines; keep the first line only (one-line errors). */
function yamlErrorMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return `yaml: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}

/** Swaps each `!reset`/`!override` node for a scalar holding the marker the merge phase understands. */
function replaceComposeTags(doc: Document): void {
  visit(doc, {
    Node(_key, node) {
      if (!('tag' in node) || (node.tag !== '!reset' && node.tag !== '!override')) return undefined;
      const marker =
        node.tag === '!reset'
          ? { [RESET_TAG]: true as const }
          : { [OVERRIDE_TAG]: true as const, value: untagged(node as YamlNode, doc) };
      const replacement = new Scalar(marker);
      replacement.range = (node as YamlNode).range;
      return replacement;
    },
  });
}

function untagged(node: YamlNode, doc: Document): unknown {
  node.tag = undefined;
  if (isScalar(node) && typeof node.value === 'string' && node.type === 'PLAIN') {
    // `!override 8080` was resolved as a string by our tag; re-resolve it as an untagged plain scalar would be.
    const reparsed = parseDocument(node.value).toJS() as unknown;
    return reparsed;
  }
  return node.toJS(doc, { maxAliasCount: 10_000 });
}

/** Position of the key (for mappings) or item (for sequences) at `path`, or of its nearest ancestor found. */
function locateNode(
  doc: Document,
  path: ModelPath,
  position: (offset: number) => SourcePosition,
): SourcePosition | undefined {
  let node: unknown = doc.contents;
  let found: YamlNode | undefined = isNode(node) ? node : undefined;
  for (const segment of path) {
    node = resolveAlias(node, doc);
    const child = childOf(node, segment, doc);
    if (!child) break;
    found = child.at;
    node = child.value;
  }
  const offset = found?.range?.[0];
  return offset === undefined ? undefined : position(offset);
}

interface Child {
  at: YamlNode; // where to point: the key of a pair, or the sequence item
  value: unknown;
}

function childOf(node: unknown, segment: string | number, doc: Document): Child | undefined {
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return isNode(item) ? { at: item, value: item } : undefined;
  }
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    const key = pair.key;
    if (isScalar(key) && !isMergeKey(key) && String(key.value) === String(segment)) return { at: key, value: pair.value };
  }
  // Not a direct key: look into `<<` merge sources, latest definition first as YAML resolves them.
  for (const pair of node.items) {
    if (!isMergeKey(pair.key)) continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const hit = childOf(resolveAlias(source, doc), segment, doc);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** yaml represents `<<` as a scalar whose value is a symbol (or the plain string without `merge`). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.source === '<<' || key.value === '<<');
}

function resolveAlias(node: unknown, doc: Document): unknown {
  return isAlias(node) ? (node as Alias).resolve(doc) : node;
}
