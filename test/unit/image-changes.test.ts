import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, parseDuration } from '../../src/image/changes.js';
import { UserError } from '../../src/errors.js';

test('CMD and ENTRYPOINT take the exec (JSON) form or the shell form', () => {
  assert.deepEqual(applyChanges(['CMD ["sh", "-c", "echo hi"]']).Cmd, ['sh', '-c', 'echo hi']);
  assert.deepEqual(applyChanges(['CMD echo $HOME']).Cmd, ['/bin/sh', '-c', 'echo $HOME']);
  assert.deepEqual(applyChanges(['ENTRYPOINT ["/bin/app"]', 'cmd ["--help"]']), { Entrypoint: ['/bin/app'], Cmd: ['--help'] });
  assert.deepEqual(applyChanges(['CMD [not json']).Cmd, ['/bin/sh', '-c', '[not json']);
});

test('ENV and LABEL: key=value pairs with quotes, the legacy form, replacement and expansion', () => {
  const config = applyChanges(['ENV A=b C="d e" F=\'$A\'', 'ENV G $A-x', 'ENV A=z', 'ENV H=${A}y I=${NOPE:-dflt}']);
  assert.deepEqual(config.Env, ['A=z', 'C=d e', 'F=$A', 'G=b-x', 'H=zy', 'I=dflt']);
  assert.deepEqual(applyChanges(['LABEL a=b "com.x"="y z"', 'LABEL c d']).Labels, { a: 'b', 'com.x': 'y z', c: 'd' });
});

test('EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, ONBUILD, HEALTHCHECK', () => {
  const config = applyChanges([
    'EXPOSE 80 53/udp 8000-8001/TCP',
    'VOLUME ["/data", "/logs"]',
    'VOLUME /cache',
    'USER app:app',
    'WORKDIR /srv',
    'WORKDIR app',
    'STOPSIGNAL SIGQUIT',
    'ONBUILD run echo hi',
    'HEALTHCHECK --interval=5s --retries=3 CMD wget -q localhost',
  ]);
  assert.deepEqual(config.ExposedPorts, { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} });
  assert.deepEqual(config.Volumes, { '/data': {}, '/logs': {}, '/cache': {} });
  assert.equal(config.User, 'app:app');
  assert.equal(config.WorkingDir, '/srv/app');
  assert.equal(config.StopSignal, 'SIGQUIT');
  assert.deepEqual(config.OnBuild, ['RUN echo hi']);
  assert.deepEqual(config.Healthcheck, { Interval: 5e9, Retries: 3, Test: ['CMD-SHELL', 'wget -q localhost'] });
  assert.deepEqual(applyChanges(['HEALTHCHECK NONE']).Healthcheck, { Test: ['NONE'] });
  assert.deepEqual(applyChanges(['HEALTHCHECK CMD ["true"]']).Healthcheck, { Test: ['CMD', 'true'] });
});

test('changes apply on top of a base config without mutating it', () => {
  const base = { Env: ['PATH=/bin'], Cmd: ['sh'] };
  const config = applyChanges(['ENV PATH=/usr/bin:$PATH'], base);
  assert.deepEqual(config, { Env: ['PATH=/usr/bin:/bin'], Cmd: ['sh'] });
  assert.deepEqual(base.Env, ['PATH=/bin']);
});

test('refuses what Docker refuses', () => {
  const refused: Array<[string, RegExp]> = [
    ['RUN echo hi', /^run is not a valid change command$/],
    ['FROM busybox', /^from is not a valid change command$/],
    ['CMD', /^CMD requires at least one argument$/],
    ['ENV A', /ENV must have two arguments/],
    ['ENV A=b C', /can't find = in "C"/],
    ['EXPOSE http', /invalid containerPort: http/],
    ['EXPOSE 80/xyz', /invalid proto: xyz/],
    ['ENV A="unterminated', /matching "/],
    ['HEALTHCHECK --interval=5 CMD true', /invalid duration/],
    ['ONBUILD ONBUILD RUN x', /Chaining ONBUILD/],
  ];
  for (const [change, message] of refused) {
    assert.throws(() => applyChanges([change]), (e: unknown) => e instanceof UserError && message.test(e.message), change);
  }
});

test('Go durations', () => {
  assert.equal(parseDuration('1m30s'), 90e9);
  assert.equal(parseDuration('250ms'), 250e6);
  assert.equal(parseDuration('1.5h'), 5400e9);
  assert.equal(parseDuration('0'), 0);
  assert.throws(() => parseDuration('5'), UserError);
});
