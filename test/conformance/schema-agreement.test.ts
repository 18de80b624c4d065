import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { parseDocument, Scalar, visit, isScalar, type Node as YamlNode } from 'yaml';
import { SuiteCounter } from '../helpers/conformance.js';
import { PEER_FIXTURES } from '../helpers/paths.js';
import { validateComposeDict } from '../../src/compose/validate/index.js';
import { withoutMarkers } from '../../src/compose/validate/markers.js';
import { isDict, OVERRIDE_TAG, RESET_TAG, type Dict } from '../../src/compose/types.js';
import { isUserError } from '../../src/errors.js';

/**
 * Our zod schema must give the same verdict (valid / invalid) as compose-go's JSON schema checked by ajv,
 * for every compose file among the peer fixtures and for a few hand-written invalid ones.
 */

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

const SCHEMA_PATH = join(PEER_FIXTURES, 'compose-go/schema/compose-spec.json');

function compileReference(): (data: unknown) => string | undefined {
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  addFormats(ajv);
  const check = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  return (data) => (check(data) ? undefined : ajv.errorsText(check.errors));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/** The fixture files that are compose files (the e2e tree also holds expected Helm/Kubernetes output). */
function composeFixtures(): string[] {
  const yaml = (name: string) => /\.ya?ml$/u.test(name);
  const go = join(PEER_FIXTURES, 'compose-go');
  return [
    join(go, 'loader/full-example.yml'),
    ...walk(join(go, '_extracted/loader/tests')).filter(yaml),
    ...walk(join(go, '_extracted/override')).filter(yaml),
    ...walk(join(go, '_extracted/loader/normalize')).filter((f) => f.endsWith('/input.yaml')),
    ...walk(join(PEER_FIXTURES, 'compose/pkg/e2e'))
      .filter(yaml)
      .filter((f) => !/\/expected-(helm|kubernetes)\//u.test(f)),
  ];
}

/** Parses like the loader does: anchors and `<<` merges resolved, `!reset`/`!override` turned into markers. */
function parseFixture(text: string): Dict | string {
  const tags = ['!reset', '!override'].map((tag) => ({ tag, resolve: (s: string) => s }));
  const doc = parseDocument(text, { merge: true, customTags: tags, logLevel: 'silent' });
  if (doc.errors.length > 0) return `not loadable YAML: ${doc.errors[0]?.message.split('\n')[0]}`;
  visit(doc, {
    Node(_key, node) {
      if (!('tag' in node) || (node.tag !== '!reset' && node.tag !== '!override')) return undefined;
      if (node.tag === '!reset') return new Scalar({ [RESET_TAG]: true });
      node.tag = undefined;
      const value = isScalar(node) ? (node as Scalar).value : (node as YamlNode).toJS(doc);
      return new Scalar({ [OVERRIDE_TAG]: true, value });
    },
  });
  const data = doc.toJS({ maxAliasCount: 10_000 }) as unknown;
  if (data === null || data === undefined) return {};
  return isDict(data) ? data : 'top level is not a mapping';
}

function ourVerdict(data: Dict, file: string): string | undefined {
  try {
    validateComposeDict(data, file, () => undefined);
    return undefined;
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
}

/** Hand-written documents that the specification rejects. */
const INVALID_DOCUMENTS: Record<string, unknown> = {
  'unknown top-level key': { services: {}, servics: {} },
  'unknown service key': { services: { web: { image: 'nginx', imagee: 'x' } } },
  'service is not a mapping': { services: { web: 'nginx' } },
  'bad service name': { services: { 'my web': { image: 'nginx' } } },
  'port of wrong type': { services: { web: { ports: [true] } } },
  'long port with unknown key': { services: { web: { ports: [{ target: 80, host: 1 }] } } },
  'duplicate cap_add': { services: { web: { cap_add: ['NET_ADMIN', 'NET_ADMIN'] } } },
  'volume type outside the enum': { services: { web: { volumes: [{ type: 'bnd', target: '/x' }] } } },
  'depends_on without condition': { services: { web: { depends_on: { db: { restart: true } } } } },
  'cpu_percent above 100': { services: { web: { cpu_percent: 150 } } },
  'build with unknown key': { services: { web: { build: { context: '.', dockerfil: 'x' } } } },
  'environment value is a list': { services: { web: { environment: { A: ['x'] } } } },
  'x- key where the schema forbids it': { services: { web: { extends: { service: 'a', 'x-b': 1 } } } },
  'volume external of wrong type': { volumes: { data: { external: 3 } } },
  'model without model': { models: { llm: { name: 'x' } } },
  'include item of wrong type': { include: [3] },
  'healthcheck test is a mapping': { services: { web: { healthcheck: { test: { a: 1 } } } } },
  'gpus string other than all': { services: { web: { gpus: 'some' } } },
  'deploy resources unknown key': { services: { web: { deploy: { resources: { limit: {} } } } } },
  'network ipam config unknown key': { networks: { n: { ipam: { config: [{ subnet: 'x', range: 'y' }] } } } },
};

test('schema agreement with compose-go JSON schema (ajv)', () => {
  const reference = compileReference();
  const counter = new SuiteCounter('schema-agreement');

  for (const file of composeFixtures()) {
    const name = relative(PEER_FIXTURES, file);
    const parsed = parseFixture(readFileSync(file, 'utf8'));
    if (typeof parsed === 'string') {
      counter.skip(name, parsed);
      continue;
    }
    const theirs = reference(withoutMarkers(parsed).value);
    const ours = ourVerdict(parsed, name);
    if ((theirs === undefined) === (ours === undefined)) counter.pass();
    else counter.fail(name, `ours: ${ours ?? 'valid'} | ajv: ${theirs ?? 'valid'}`);
  }

  for (const [name, data] of Object.entries(INVALID_DOCUMENTS)) {
    const theirs = reference(data);
    const ours = isDict(data) ? ourVerdict(data, name) : 'not a mapping';
    if (theirs !== undefined && ours !== undefined) counter.pass();
    else counter.fail(`invalid document: ${name}`, `ours: ${ours ?? 'valid'} | ajv: ${theirs ?? 'valid'}`);
  }

  counter.report();
  assert.ok(counter.passed > 0);
});
