import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadProject } from '../../src/compose/loader.js';
import { isDict, type Dict } from '../../src/compose/types.js';
import { UserError } from '../../src/errors.js';
import { filesBelow } from '../helpers/fixture-files.js';
import { PEER_FIXTURES } from '../helpers/paths.js';

const SEED = Number(process.env.TSCOMPOSE_FUZZ_SEED ?? 20261122);
const CASES = Number(process.env.TSCOMPOSE_FUZZ_CASES ?? 3000);

/** mulberry32: a small seeded generator, so a failure can be replayed with its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [null, '', 0, -1, 1.5, true, 'x', '${', '${A:?boom}', '$$', '80:80:80:80', [], {}, [null], { a: null }, 'a'.repeat(300), '-1', '0x10', ['${B:-d}']];
const ODD_KEYS = ['x-ext', 'image', 'ports', 'extends', 'depends_on', 'unknown_key', 'networks', 'volumes', '<<', 'profiles', 'include', 'build'];

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** Mutates the parsed data: a random node gets an odd value, loses a key, or gains one. */
function mutateData(data: unknown, rnd: () => number, depth = 0): unknown {
  if (depth > 0 && rnd() < 0.15) return pick(rnd, ODD_VALUES);
  if (Array.isArray(data)) return data.map((item) => (rnd() < 0.3 ? mutateData(item, rnd, depth + 1) : item));
  if (!isDict(data)) return data;
  const out: Dict = {};
  for (const [k, v] of Object.entries(data)) {
    if (rnd() < 0.05) continue;
    out[k] = rnd() < 0.4 ? mutateData(v, rnd, depth + 1) : v;
  }
  if (rnd() < 0.1) out[pick(rnd, ODD_KEYS)] = pick(rnd, ODD_VALUES);
  return out;
}

/** Mutates the text: deletes, duplicates or inserts characters and lines. */
function mutateText(text: string, rnd: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(rnd() * lines.length);
  const op = Math.floor(rnd() * 5);
  if (op === 0) lines.splice(i, 1);
  else if (op === 1) lines.splice(i, 0, lines[i] ?? '');
  else if (op === 2) lines[i] = ' ' + (lines[i] ?? '');
  else if (op === 3) lines[i] = (lines[i] ?? '').slice(0, Math.floor(rnd() * 10)) + pick(rnd, [':', '- ', '{', '"', '&a', '*a', '!reset ', '!override ', '${', '\t']);
  else lines[i] = (lines[i] ?? '') + pick(rnd, [' # c', ': x', ' ${X}', ' !!binary']);
  return lines.join('\n');
}

test(`seeded fuzz (${CASES} cases, seed ${SEED}): every loader failure is a user error with a message`, () => {
  const inputs = [
    join(PEER_FIXTURES, 'compose-go/loader/full-example.yml'),
    ...filesBelow(join(PEER_FIXTURES, 'compose-go/_extracted/loader/tests'), /\.ya?ml$/),
    ...filesBelow(join(PEER_FIXTURES, 'compose-go/_extracted/override'), /\.ya?ml$/),
  ].map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const rnd = random(SEED);
  let userErrors = 0;
  for (let n = 0; n < CASES; n++) {
    const input = pick(rnd, inputs);
    let text = input.text;
    if (rnd() < 0.5) {
      try {
        text = stringify(mutateData(parse(text), rnd));
      } catch {
        text = mutateText(text, rnd);
      }
    } else text = mutateText(text, rnd);
    try {
      loadProject({
        workingDir: dirname(input.file),
        files: ['-'],
        projectName: 'fuzz',
        envFiles: [],
        profiles: [],
        osEnv: { HOME: '/h' },
        interpolate: true,
        resolvePaths: true,
        readStdin: () => text,
        warn: () => {},
      });
    } catch (e) {
      if (!(e instanceof UserError) || e.message.trim() === '') {
        assert.fail(`case ${n} (seed ${SEED}, from ${input.file}) threw ${(e as Error).stack}\n--- input ---\n${text}`);
      }
      userErrors++;
    }
  }
  console.log(`loader-fuzz: ${CASES} cases, ${userErrors} user errors, 0 unhandled`);
});
