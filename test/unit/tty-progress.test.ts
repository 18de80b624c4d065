import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';
import { ttyProgress } from '../../src/cli/commands/compose/tty-progress.js';
import type { ProgressEvent } from '../../src/compose/project/progress.js';

const HIDE = '\x1b[?25l';
const SHOW = '\x1b[?25h';

/** A terminal as far as the renderer can tell: isTTY, a size, and everything written kept. */
function fakeTerminal(columns = 100): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  Object.assign(stream, { isTTY: true, columns, rows: 40 });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

const lines = (text: string): string[] =>
  stripVTControlCharacters(text)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);

const container = (name: string, status: string, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({ kind: 'Container', name, status, ...extra });

test('live list while events arrive, then one final line per resource', async () => {
  const term = fakeTerminal();
  const exitListeners = process.listenerCount('exit');
  const { sink, finish } = ttyProgress(term.stream);
  sink({ kind: 'Network', name: 'app_default', status: 'Creating' });
  sink(container('app-db-1', 'Creating'));
  sink(container('app-web-1', 'Creating'));
  sink({ kind: 'Network', name: 'app_default', status: 'Created', done: true });
  await sleep(50);
  // concurrently, in any order
  sink(container('app-web-1', 'Created'));
  sink(container('app-db-1', 'Created'));
  sink(container('app-db-1', 'Starting'));
  sink(container('app-web-1', 'Starting'));
  await sleep(250);
  const live = stripVTControlCharacters(term.text());
  assert.match(live, /Container app-web-1 {2}Starting +\d+\.\ds/, 'the live view shows the running rows');
  assert.match(live, /✔ Network app_default {2}Created/);
  assert.ok(term.text().includes(HIDE), 'the cursor is hidden while the list is live');

  sink(container('app-db-1', 'Started', { done: true }));
  sink(container('app-web-1', 'Error', { detail: 'port 8080 is already allocated', done: true, error: true }));
  sink({ kind: 'Image', name: 'busybox', status: 'Pulling' }); // never done
  await sleep(150);
  const before = term.text().length;
  finish();
  const final = lines(term.text().slice(before));
  assert.equal(final.length, 4, final.join('\n'));
  assert.match(final[0]!, /^✔ Network app_default {2}Created +\d+\.\ds$/);
  assert.match(final[1]!, /^✔ Container app-db-1 {2}Started +\d+\.\ds$/);
  assert.match(final[2]!, /^✖ Container app-web-1 {2}Error \(port 8080 is already allocated\) +\d+\.\ds$/);
  assert.match(final[3]!, /^❯ Image busybox {2}Pulling +\d+\.\ds$/, 'a row never done is closed as it was');
  assert.ok(term.text().lastIndexOf(SHOW) > term.text().lastIndexOf(HIDE), 'the cursor is shown again');
  assert.equal(process.listenerCount('exit'), exitListeners);

  // nothing draws after finish(), and more events change nothing
  const after = term.text();
  sink(container('app-db-1', 'Stopping'));
  await sleep(300);
  assert.equal(term.text(), after);
});

test('a resource that goes back to work keeps its one line', async () => {
  const term = fakeTerminal();
  const { sink, finish } = ttyProgress(term.stream);
  sink(container('app-db-1', 'Starting'));
  sink(container('app-db-1', 'Started', { done: true }));
  await sleep(120);
  sink(container('app-db-1', 'Waiting'));
  await sleep(120);
  assert.match(stripVTControlCharacters(term.text()).split('\n').filter((l) => l.includes('app-db-1')).at(-1)!, /Waiting/);
  sink(container('app-db-1', 'Healthy', { done: true }));
  sink(container('app-web-1', 'Started', { done: true }));
  const before = term.text().length;
  finish();
  assert.deepEqual(
    lines(term.text().slice(before)).map((l) => l.replace(/ +\d+\.\ds$/, '')),
    ['✔ Container app-db-1  Healthy', '✔ Container app-web-1  Started'],
  );
});

test('finish() right after the events, before listr2 has drawn anything', async () => {
  const term = fakeTerminal();
  const { sink, finish } = ttyProgress(term.stream);
  sink(container('app-web-1', 'Starting'));
  sink(container('app-web-1', 'Started', { done: true }));
  sink(container('app-worker-1', 'Starting'));
  finish();
  assert.deepEqual(
    lines(term.text()).map((l) => l.replace(/ +\d+\.\ds$/, '')),
    ['✔ Container app-web-1  Started', '❯ Container app-worker-1  Starting'],
  );
  await sleep(250);
  const text = term.text();
  assert.equal(lines(text).length, 2, 'the renderer that was starting draws nothing later');
  assert.ok(!text.includes(HIDE) || text.lastIndexOf(SHOW) > text.lastIndexOf(HIDE));
});

test('without events nothing is written', async () => {
  const term = fakeTerminal();
  const { finish } = ttyProgress(term.stream);
  finish();
  await sleep(20);
  assert.equal(term.text(), '');
});

test('long lines are not cut, the time follows', async () => {
  const term = fakeTerminal(40);
  const { sink, finish } = ttyProgress(term.stream);
  sink({ kind: 'Image', name: 'registry.example.com/team/app:1.2.3', status: 'Error', detail: 'pull access denied', done: true, error: true });
  await sleep(120);
  const before = term.text().length;
  finish();
  assert.match(stripVTControlCharacters(term.text().slice(before)), /^✖ Image registry\.example\.com\/team\/app:1\.2\.3 {2}Error \(pull access denied\) \d+\.\ds\n$/);
});
