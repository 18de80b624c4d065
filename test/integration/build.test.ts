/**
 * Dockerfile builds through `tscompose build` and a real engine: stages, the image config a container honours,
 * the step cache (what hits, what rebuilds), .dockerignore, deletions in later steps, failures that leave
 * nothing behind, build args and secrets (which must not end up in any layer).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser } from 'tar';
import { mountsBelow } from '../../src/engine/reconcile.js';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot('root (builds run containers)');
const SECRET = 's3cr3t-value-that-must-not-leak';
let engine: TestEngine;
let dir: string;

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG BASE=${TEST_IMAGE}
FROM \${BASE} AS builder
WORKDIR /src
COPY app.txt ./
COPY lib/ ./lib/
ARG FLAVOUR=plain
RUN echo "built $(cat app.txt) $FLAVOUR" > out.txt \\
 && cat lib/*.txt >> out.txt
RUN --mount=type=secret,id=token cat /run/secrets/token > /token-seen && test -s /token-seen && rm /token-seen

FROM ${TEST_IMAGE}
ENV GREETING=hello MODE=prod
RUN rm /etc/motd-to-delete 2>/dev/null; echo doomed > /doomed
WORKDIR /app
COPY --from=builder /src/out.txt ./
RUN rm /doomed
USER 1000
EXPOSE 8080
CMD ["sh", "-c", "cat /app/out.txt; echo $GREETING; pwd; id -u; ls /doomed 2>&1 || true"]
`;

before(async () => {
  if (skip) return;
  engine = await startTestEngine('build');
  dir = mkdtempSync(join(tmpdir(), 'tscompose-build-'));
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, 'app.txt'), 'v1');
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', 'a.txt'), 'lib-a\n');
  writeFileSync(join(dir, 'notes.md'), 'ignored');
  writeFileSync(join(dir, '.dockerignore'), '*.md\n');
  writeFileSync(join(dir, 'token.txt'), SECRET);
  writeFileSync(
    join(dir, 'compose.yaml'),
    `services:\n  app:\n    build:\n      context: .\n      args:\n        FLAVOUR: spicy\n      secrets: [token]\nsecrets:\n  token:\n    file: ./token.txt\n`,
  );
});

after(async () => {
  if (skip) return;
  engine.cli(['-f', join(dir, 'compose.yaml'), 'down', '--rmi', 'all']);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(await engine.stop(), []);
});

interface BuildRun {
  code: number;
  output: string;
  /** Step name → CACHED or DONE (or ERROR). */
  steps: Map<string, string>;
}

function build(...extra: string[]): BuildRun {
  const r = engine.cli(['--progress', 'plain', '-f', join(dir, 'compose.yaml'), 'build', ...extra], { timeoutMs: 120_000 });
  const output = r.stdout + r.stderr;
  const names = new Map<string, string>();
  const steps = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^(#\d+) (\[.*)$/.exec(line);
    if (m) names.set(m[1]!, m[2]!);
    const s = /^(#\d+) (CACHED|DONE|ERROR)/.exec(line);
    if (s && names.has(s[1]!)) steps.set(names.get(s[1]!)!, s[2]!);
  }
  return { code: r.code, output, steps };
}

const stepsWith = (run: BuildRun, state: string) => [...run.steps].filter(([name, s]) => s === state && !/\] FROM /.test(name)).map(([name]) => name);

describe('Dockerfile builds', { skip }, () => {
  test('a multi-stage build makes an image that runs with its CMD, ENV, WORKDIR, USER', () => {
    const first = build();
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /Service app Built/);
    assert.ok(stepsWith(first, 'DONE').length >= 8, first.output);
    const r = engine.cli(['-f', join(dir, 'compose.yaml'), 'run', '--rm', 'app']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 5), ['built v1 spicy', 'lib-a', 'hello', '/app', '1000']);
    assert.match(lines[5] ?? '', /No such file/, 'a file deleted by a later RUN is gone');
    const inspect = JSON.parse(engine.cli(['image', 'inspect', `${projectName()}-app`]).stdout)[0];
    assert.ok(inspect.Config.ExposedPorts['8080/tcp']);
    assert.equal(inspect.Config.Env.includes('MODE=prod'), true);
  });

  test('an unchanged rebuild takes every step from the cache and gives the same image', () => {
    const before = imageId();
    const again = build();
    assert.equal(again.code, 0, again.output);
    assert.deepEqual(stepsWith(again, 'DONE'), [], again.output);
    assert.equal(imageId(), before);
  });

  test('a file .dockerignore matches changes nothing', () => {
    writeFileSync(join(dir, 'notes.md'), 'changed, but ignored');
    const again = build();
    assert.deepEqual(stepsWith(again, 'DONE'), [], again.output);
  });

  test('touching a file only in its mtime changes nothing; changing a copied file rebuilds from that COPY on', () => {
    utimesSync(join(dir, 'app.txt'), new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(stepsWith(build(), 'DONE'), []);
    writeFileSync(join(dir, 'app.txt'), 'v2');
    const changed = build();
    assert.equal(changed.code, 0, changed.output);
    const rebuilt = stepsWith(changed, 'DONE');
    assert.ok(rebuilt.some((n) => n.includes('COPY app.txt')), changed.output);
    assert.ok(stepsWith(changed, 'CACHED').some((n) => n.includes('WORKDIR /src')), 'steps before the COPY come from the cache');
    assert.ok(stepsWith(changed, 'CACHED').some((n) => n.includes('rm /etc/motd-to-delete')), 'the other stage up to its COPY --from is cached');
    assert.ok(rebuilt.some((n) => n.includes('COPY --from=builder')), 'the final stage takes the new output');
    const r = engine.cli(['-f', join(dir, 'compose.yaml'), 'run', '--rm', 'app']);
    assert.match(r.stdout, /^built v2 spicy/);
  });

  test('--no-cache runs every step again', () => {
    const fresh = build('--no-cache');
    assert.equal(fresh.code, 0, fresh.output);
    assert.deepEqual(stepsWith(fresh, 'CACHED'), []);
  });

  test('--build-arg wins over build.args', () => {
    assert.equal(build('--build-arg', 'FLAVOUR=mild').code, 0);
    const r = engine.cli(['-f', join(dir, 'compose.yaml'), 'run', '--rm', 'app']);
    assert.match(r.stdout, /^built v2 mild/);
  });

  test('the secret reached the build and is in no layer of the image', async () => {
    const archive = join(dir, 'image.tar');
    const saved = engine.cli(['image', 'save', '-o', archive, `${projectName()}-app`]);
    assert.equal(saved.code, 0, saved.stderr);
    const blobs = await archiveFiles(readFileSync(archive));
    assert.ok(blobs.size > 2);
    for (const [name, bytes] of blobs) {
      const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
      assert.equal(plain.indexOf(SECRET), -1, `${name} holds the secret`);
    }
  });

  test('a failing RUN names the step, its line and its output, and leaves no container or mount', async () => {
    writeFileSync(join(dir, 'Dockerfile.bad'), `FROM ${TEST_IMAGE}\nRUN echo about to fail\nRUN echo "this goes wrong" >&2 && exit 3\n`);
    writeFileSync(join(dir, 'compose.bad.yaml'), 'services:\n  bad:\n    build:\n      context: .\n      dockerfile: Dockerfile.bad\n');
    const r = engine.cli(['--progress', 'plain', '-f', join(dir, 'compose.bad.yaml'), 'build']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Dockerfile\.bad:3: RUN failed: .*exit code: 3/);
    assert.match(r.stderr, /this goes wrong/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const containers = await engine.api.listContainers({ all: true });
    assert.deepEqual(containers.map((c) => c.Names), []);
    assert.deepEqual(mountsBelow(engine.config.root), []);
  });
});

function projectName(): string {
  return dir.split('/').pop()!.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

function imageId(): string {
  const id = (JSON.parse(engine.cli(['image', 'inspect', `${projectName()}-app`]).stdout) as Array<{ Id: string }>)[0]!.Id;
  assert.match(id, /^sha256:/);
  return id;
}

/** Every file of a tar archive, by name. */
async function archiveFiles(tar: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const parser = new Parser({
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => files.set(entry.path, Buffer.concat(chunks)));
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    parser.end(tar);
  });
  return files;
}
