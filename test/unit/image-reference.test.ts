import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarString, normalizeReference, parseReference } from '../../src/image/reference.js';
import { UserError } from '../../src/errors.js';

const HEX = 'a'.repeat(64);

// input → [fully qualified, familiar]
const VALID: Array<[string, string, string]> = [
  ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
  ['busybox:Latest_1.x-y', 'docker.io/library/busybox:Latest_1.x-y', 'busybox:Latest_1.x-y'],
  ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['index.docker.io/library/busybox:musl', 'docker.io/library/busybox:musl', 'busybox:musl'],
  ['user/app', 'docker.io/user/app:latest', 'user/app:latest'],
  ['tscompose/busybox', 'docker.io/tscompose/busybox:latest', 'tscompose/busybox:latest'],
  ['library/a/b', 'docker.io/library/a/b:latest', 'library/a/b:latest'],
  ['localhost:5000/a/b:t', 'localhost:5000/a/b:t', 'localhost:5000/a/b:t'],
  ['localhost/a', 'localhost/a:latest', 'localhost/a:latest'],
  ['localhost:5000', 'docker.io/library/localhost:5000', 'localhost:5000'],
  ['registry.example.com/team/app:v1.2.3', 'registry.example.com/team/app:v1.2.3', 'registry.example.com/team/app:v1.2.3'],
  ['example.com:8443/x', 'example.com:8443/x:latest', 'example.com:8443/x:latest'],
  ['[::1]:5000/x:y', '[::1]:5000/x:y', '[::1]:5000/x:y'],
  ['127.0.0.1:5000/x', '127.0.0.1:5000/x:latest', '127.0.0.1:5000/x:latest'],
  [`x@sha256:${HEX}`, `docker.io/library/x@sha256:${HEX}`, `x@sha256:${HEX}`],
  [`x:t@sha256:${HEX}`, `docker.io/library/x:t@sha256:${HEX}`, `x:t@sha256:${HEX}`],
  ['a_b-c__d/f---g.h', 'docker.io/a_b-c__d/f---g.h:latest', 'a_b-c__d/f---g.h:latest'],
  ['Foo/bar', 'Foo/bar:latest', 'Foo/bar:latest'], // an uppercase first component is a registry host
];

const INVALID: Array<[string, string]> = [
  ['', 'invalid reference format'],
  ['Busybox', 'invalid reference format: repository name (library/Busybox) must be lowercase'],
  ['user/App:1', 'invalid reference format: repository name (user/App) must be lowercase'],
  ['busybox:', 'invalid reference format'],
  [':tag', 'invalid reference format'],
  ['a::b', 'invalid reference format'],
  ['busybox:tag with space', 'invalid reference format'],
  ['-busybox', 'invalid reference format'],
  ['busybox-', 'invalid reference format'],
  ['a//b', 'invalid reference format'],
  ['a/b/', 'invalid reference format'],
  ['busybox@sha256:abc', 'invalid reference format'],
  [`busybox:${'t'.repeat(129)}`, 'invalid reference format'],
  [`busybox@md5:${'0'.repeat(32)}`, 'unsupported digest algorithm'],
  [`busybox@sha256:${'0'.repeat(40)}`, 'invalid checksum digest length'],
  [HEX, `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`],
  [`a/${'b'.repeat(260)}`, 'repository name must not be more than 255 characters'],
];

test('normalizes valid references and shows them in familiar form', () => {
  for (const [input, full, familiar] of VALID) {
    assert.equal(normalizeReference(input), full, input);
    assert.equal(familiarString(parseReference(input)), familiar, input);
  }
});

test('splits a reference into domain, path, tag and digest', () => {
  assert.deepEqual(parseReference('localhost:5000/a/b:t'), { domain: 'localhost:5000', path: 'a/b', tag: 't' });
  assert.deepEqual(parseReference(`x@sha256:${HEX}`), { domain: 'docker.io', path: 'library/x', digest: `sha256:${HEX}` });
});

test('rejects invalid references with Docker wording', () => {
  for (const [input, message] of INVALID) {
    assert.throws(() => parseReference(input), (e: unknown) => e instanceof UserError && e.message === message, `${input} → ${message}`);
  }
});
