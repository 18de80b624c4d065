import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, Scalar, visit, type Node as YamlNode } from 'yaml';
import { canonicalize } from '../../src/compose/canonical/index.js';
import { mergeFiles } from '../../src/compose/merge/index.js';
import { OVERRIDE_TAG, RESET_TAG, type Dict } from '../../src/compose/types.js';
import { SuiteCounter } from '../helpers/conformance.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const ROOT = join(PEER_FIXTURES, 'compose-go/_extracted/override');

/** YAML → Dict, with `!reset` / `!override` turned into the markers the real parser produces. */
function parseFixture(file: string): Dict {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  visit(doc, {
    Node(_key, node) {
      const tag = (node as { tag?: string }).tag;
      if (tag !== '!reset' && tag !== '!override') return undefined;
      (node as { tag?: string }).tag = undefined;
      const value = isScalar(node) || isMap(node) || isSeq(node) ? (node as YamlNode).toJSON() : null;
      return new Scalar(tag === '!reset' ? { [RESET_TAG]: true } : { [OVERRIDE_TAG]: true, value });
    },
  });
  return (doc.toJS() ?? {}) as Dict;
}

/** Each case folder: base+override+expected (a merge) or input+expected (unicity alone). */
function caseFolders(dir: string): string[] {
  if (existsSync(join(dir, 'expected.yaml'))) return [dir];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((p) => statSync(p).isDirectory())
    .flatMap(caseFolders);
}

function runCase(dir: string): void {
  const read = (name: string) => canonicalize(parseFixture(join(dir, name)));
  const inputs = existsSync(join(dir, 'input.yaml')) ? [read('input.yaml')] : [read('base.yaml'), read('override.yaml')];
  assert.deepStrictEqual(mergeFiles(inputs), read('expected.yaml'));
}

test('override: compose-go merge fixtures', { skip: !existsSync(ROOT) && 'peer fixtures not found' }, () => {
  const counter = new SuiteCounter('override');
  for (const dir of caseFolders(ROOT).sort()) {
    const name = relative(ROOT, dir);
    try {
      runCase(dir);
      counter.pass();
    } catch (e) {
      counter.fail(name, (e as Error).message.split('\n').slice(0, 12).join('\n'));
    }
  }
  counter.report();
});
