import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile, type RawInstruction } from '../../src/build/dockerfile/parse.js';
import { parseFlags, parseHealthcheck, parseKeyValues, parseMountFlag, runScript, shellOrExec } from '../../src/build/dockerfile/key-values.js';
import { parseGoDuration } from '../../src/util/go-duration.js';
import { UserError } from '../../src/errors.js';

const only = (text: string): RawInstruction => parseDockerfile(`FROM scratch\n${text}`).instructions[1]!;
const vars: Record<string, string> = { abc: 'hello', NAME: 'world', EMPTY: '' };
const lookup = (n: string): string | undefined => vars[n];
const pos = { file: 'Dockerfile', line: 3 };
const kv = (args: string, keyword = 'ENV') => parseKeyValues(args, keyword, lookup, '\\', pos);
const errs = (fn: () => unknown, message: string): void =>
  assert.throws(fn, (e: unknown) => e instanceof UserError && e.message.includes(message) && e.position?.line === 3, message);

test('ENV/LABEL key=value pairs with quotes, escapes and expansion', () => {
  assert.deepEqual(kv('MY_NAME="John Doe" MY_DOG=Rex\\ The\\ Dog MY_CAT=fluffy'), [
    { key: 'MY_NAME', value: 'John Doe' },
    { key: 'MY_DOG', value: 'Rex The Dog' },
    { key: 'MY_CAT', value: 'fluffy' },
  ]);
  assert.deepEqual(kv("abc=bye def=$abc q='$abc' e= x=\"a=b\""), [
    { key: 'abc', value: 'bye' },
    { key: 'def', value: 'hello' },
    { key: 'q', value: '$abc' },
    { key: 'e', value: '' },
    { key: 'x', value: 'a=b' },
  ]);
  assert.deepEqual(kv('"com.example.vendor"="ACME Incorporated" version="1.0"', 'LABEL'), [
    { key: 'com.example.vendor', value: 'ACME Incorporated' },
    { key: 'version', value: '1.0' },
  ]);
  assert.deepEqual(kv('description="spans \\"two\\" ${NAME}"', 'LABEL'), [{ key: 'description', value: 'spans "two" world' }]);
});

test('legacy ENV/LABEL form: one pair, the rest of the line is the value', () => {
  assert.deepEqual(kv('ONE TWO= THREE=world'), [{ key: 'ONE', value: 'TWO= THREE=world' }]);
  assert.deepEqual(kv('MY_VAR   my "quoted  value" $NAME'), [{ key: 'MY_VAR', value: 'my quoted  value world' }]);
  assert.deepEqual(kv('maintainer me', 'LABEL'), [{ key: 'maintainer', value: 'me' }]);
  errs(() => kv('LONELY'), 'ENV must have two arguments');
});

test('key=value errors', () => {
  errs(() => kv('A=1 B'), `can't find = in "B"`);
  errs(() => kv('=1'), 'ENV names can not be blank');
  errs(() => kv(''), 'ENV requires at least one argument');
  errs(() => kv('A="open'), 'double-quote');
});

test('ARG: names with and without defaults, several per line', () => {
  assert.deepEqual(kv('user1=someuser buildno=1 V', 'ARG'), [
    { key: 'user1', value: 'someuser' },
    { key: 'buildno', value: '1' },
    { key: 'V', value: undefined },
  ]);
  assert.deepEqual(kv('CONT_IMG_VER=${NOPE:-v1.0.0}', 'ARG'), [{ key: 'CONT_IMG_VER', value: 'v1.0.0' }]);
  assert.deepEqual(kv('X=', 'ARG'), [{ key: 'X', value: '' }]);
});

test('parseFlags: allowed flags grouped by name, repeated ones collected', () => {
  const i = only('RUN --mount=type=cache,target=/a --network=none --mount=type=tmpfs,target=/t make');
  const flags = parseFlags(i.flags, ['mount', 'network', 'security'], i, 'Dockerfile');
  assert.deepEqual([...flags], [
    ['mount', ['type=cache,target=/a', 'type=tmpfs,target=/t']],
    ['network', ['none']],
  ]);
  assert.throws(
    () => parseFlags(only('COPY --form=x a b').flags, ['from', 'chown'], only('COPY --form=x a b'), 'Dockerfile'),
    (e: unknown) => e instanceof UserError && e.describe() === 'Dockerfile:2: unknown flag: --form',
  );
});

test('parseFlags: booleans and repeat rules', () => {
  const c = only('COPY --link --parents=false --from=x a b');
  const rules = { booleans: ['link', 'parents'], repeatable: [] };
  assert.deepEqual([...parseFlags(c.flags, ['link', 'parents', 'from'], c, 'Dockerfile', rules)], [
    ['link', ['true']],
    ['parents', ['false']],
    ['from', ['x']],
  ]);
  const bare = only('COPY --from a b');
  assert.throws(() => parseFlags(bare.flags, ['from'], bare, 'Dockerfile', rules), /missing a value on flag: --from/);
  const twice = only('COPY --from=a --from=b a b');
  assert.throws(() => parseFlags(twice.flags, ['from'], twice, 'Dockerfile', rules), /duplicate flag specified: --from/);
  const notBool = only('COPY --link=maybe a b');
  assert.throws(() => parseFlags(notBool.flags, ['link'], notBool, 'Dockerfile', rules), /expecting boolean/);
  // without rules a bare flag reads as "true"
  assert.deepEqual([...parseFlags(bare.flags, ['from'], bare, 'Dockerfile')], [['from', ['true']]]);
});

test('mount flag: types, aliases and documented defaults', () => {
  assert.deepEqual(parseMountFlag('target=/src', pos), { type: 'bind', target: '/src', readonly: true });
  assert.deepEqual(parseMountFlag('type=bind,from=build,source=/out,dst=/in,rw', pos), {
    type: 'bind', from: 'build', source: '/out', target: '/in', readonly: false,
  });
  assert.deepEqual(parseMountFlag('type=cache,target=/var/cache/apt,sharing=locked', pos), {
    type: 'cache', target: '/var/cache/apt', sharing: 'locked', readonly: false, id: '/var/cache/apt', mode: 0o755, uid: 0, gid: 0,
  });
  assert.deepEqual(parseMountFlag('type=cache,id=go,target=/root/.cache,mode=0700,uid=1000,gid=1000,ro', pos), {
    type: 'cache', id: 'go', target: '/root/.cache', mode: 0o700, uid: 1000, gid: 1000, readonly: true, sharing: 'shared',
  });
  assert.deepEqual(parseMountFlag('type=secret,id=mysecret,target=/x', pos), {
    type: 'secret', id: 'mysecret', target: '/x', required: false, mode: 0o400, uid: 0, gid: 0,
  });
  assert.deepEqual(parseMountFlag('type=secret,id=aws', pos), {
    type: 'secret', id: 'aws', target: '/run/secrets/aws', required: false, mode: 0o400, uid: 0, gid: 0,
  });
  assert.deepEqual(parseMountFlag('type=secret,target=/root/.aws/credentials,required', pos).id, 'credentials');
  assert.deepEqual(parseMountFlag('type=secret,id=API_KEY,env=API_KEY,required=true', pos), {
    type: 'secret', id: 'API_KEY', env: 'API_KEY', required: true, mode: 0o400, uid: 0, gid: 0,
  });
  assert.deepEqual(parseMountFlag('type=ssh', pos), { type: 'ssh', id: 'default', required: false, mode: 0o600, uid: 0, gid: 0 });
  assert.deepEqual(parseMountFlag('type=tmpfs,target=/t,size=64m', pos), { type: 'tmpfs', target: '/t', size: 64 * 1024 * 1024 });
  assert.deepEqual(parseMountFlag('"target=/a,b",type=bind', pos), { type: 'bind', target: '/a,b', readonly: true });
});

test('mount flag errors', () => {
  errs(() => parseMountFlag('type=nfs,target=/x', pos), 'unsupported mount type');
  errs(() => parseMountFlag('type=cache', pos), 'requires a target');
  errs(() => parseMountFlag('target=/x,color=red', pos), "unexpected key 'color'");
  errs(() => parseMountFlag('type=cache,target=/x,sharing=all', pos), 'sharing must be one of');
  errs(() => parseMountFlag('type=cache,target=/x,mode=999', pos), 'octal');
  errs(() => parseMountFlag('type=secret', pos), 'needs an id');
  errs(() => parseMountFlag('target=/x,ro=maybe', pos), 'true or false');
});

test('Go durations in nanoseconds', () => {
  assert.equal(parseGoDuration('30s'), 30e9);
  assert.equal(parseGoDuration('1m30s'), 90e9);
  assert.equal(parseGoDuration('1.5h'), 5400e9);
  assert.equal(parseGoDuration('250ms'), 250e6);
  assert.equal(parseGoDuration('10us'), 10e3);
  assert.equal(parseGoDuration('2µs'), 2e3);
  assert.equal(parseGoDuration('.5s'), 5e8);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('-1s'), -1e9);
  for (const bad of ['', '30', 's', '1x', '1s2', '.s', '1 s']) assert.equal(parseGoDuration(bad), undefined, bad);
});

test('HEALTHCHECK: options and both command forms', () => {
  const h = only('HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=500ms --retries=4 \\\n  CMD curl -f http://localhost/ || exit 1');
  assert.deepEqual(parseHealthcheck(h, 'Dockerfile'), {
    test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
    interval: 300e9,
    timeout: 3e9,
    startPeriod: 90e9,
    startInterval: 500e6,
    retries: 4,
  });
  assert.deepEqual(parseHealthcheck(only('HEALTHCHECK CMD ["/bin/check", "-v"]'), 'Dockerfile'), { test: ['CMD', '/bin/check', '-v'] });
  assert.deepEqual(parseHealthcheck(only('HEALTHCHECK cmd ["bad json]'), 'Dockerfile'), { test: ['CMD-SHELL', '["bad json]'] });
  assert.equal(parseHealthcheck(only('HEALTHCHECK NONE'), 'Dockerfile'), 'NONE');
  assert.equal(parseHealthcheck(only('HEALTHCHECK none'), 'Dockerfile'), 'NONE');
  assert.deepEqual(parseHealthcheck(only('HEALTHCHECK --interval=0s CMD true'), 'Dockerfile'), { test: ['CMD-SHELL', 'true'], interval: 0 });
});

test('HEALTHCHECK errors', () => {
  const fails = (text: string, message: string): void =>
    assert.throws(() => parseHealthcheck(only(text), 'Dockerfile'), (e: unknown) => e instanceof UserError && e.position?.line === 2 && e.message.includes(message), message);
  fails('HEALTHCHECK NONE extra', 'takes no arguments');
  fails('HEALTHCHECK --interval=5s NONE', 'takes no arguments');
  fails('HEALTHCHECK RUN x', 'unknown type "RUN"');
  fails('HEALTHCHECK CMD', 'missing command');
  fails('HEALTHCHECK --interval=5 CMD x', 'invalid duration');
  fails('HEALTHCHECK --timeout=10us CMD x', 'less than 1ms');
  fails('HEALTHCHECK --interval=-1s CMD x', 'negative');
  fails('HEALTHCHECK --retries=x CMD x', 'whole number');
  fails('HEALTHCHECK --retries=-1 CMD x', 'negative');
  fails('HEALTHCHECK --every=5s CMD x', 'unknown flag: --every');
  fails('HEALTHCHECK --interval CMD x', 'missing a value');
});

const SH = ['/bin/sh', '-c'];

test('shellOrExec: exec form as is, shell form through the shell', () => {
  assert.deepEqual(shellOrExec(only('CMD ["nginx", "-g", "daemon off;"]'), SH), ['nginx', '-g', 'daemon off;']);
  assert.deepEqual(shellOrExec(only('ENTRYPOINT exec top -b'), SH), ['/bin/sh', '-c', 'exec top -b']);
  assert.deepEqual(shellOrExec(only('CMD echo "$HOME"'), ['powershell', '-command']), ['powershell', '-command', 'echo "$HOME"']);
});

test('runScript: shell form, exec form, heredoc-only, heredocs inside a command', () => {
  assert.deepEqual(runScript(only('RUN echo hi'), SH), ['/bin/sh', '-c', 'echo hi']);
  assert.deepEqual(runScript(only('RUN ["echo", "hi"]'), SH), ['echo', 'hi']);
  assert.deepEqual(runScript(only('RUN <<EOF\nmkdir -p foo/bar\necho $HOME\nEOF'), SH), ['/bin/sh', '-c', 'mkdir -p foo/bar\necho $HOME\n']);
  assert.deepEqual(runScript(only("RUN <<-'EOF'\n\techo x\nEOF"), SH), ['/bin/sh', '-c', 'echo x\n']);
  assert.deepEqual(runScript(only('RUN <<EOT bash\n  set -ex\nEOT'), SH), ['/bin/sh', '-c', '<<EOT bash\n  set -ex\nEOT']);
  assert.deepEqual(runScript(only('RUN <<FILE1 cat > file1 && <<FILE2 cat > file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2'), SH), [
    '/bin/sh',
    '-c',
    '<<FILE1 cat > file1 && <<FILE2 cat > file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2',
  ]);
});

test('runScript: a #! heredoc runs as an executable file through a POSIX shell', () => {
  const argv = runScript(only('RUN <<EOT\n#!/usr/bin/env python\nprint("hello world")\nEOT'), SH);
  assert.equal(argv.length, 3);
  assert.deepEqual(argv.slice(0, 2), SH);
  const script = argv[2]!;
  assert.ok(script.includes("<<'TSCOMPOSE_SCRIPT_EOF'\n#!/usr/bin/env python\nprint(\"hello world\")\nTSCOMPOSE_SCRIPT_EOF\n"), script);
  assert.ok(script.includes('chmod +x'), script);
  // a non-POSIX shell gets the body as is
  assert.deepEqual(runScript(only('RUN <<EOT\n#!/bin/x\nEOT'), ['cmd', '/S', '/C']), ['cmd', '/S', '/C', '#!/bin/x\n']);
});
