import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.js';
import { canonicalize } from '../../src/compose/canonical/index.js';
import { parsePortSpec } from '../../src/compose/canonical/ports.js';

function portsOf(ports: unknown[]): unknown {
  const model = canonicalize({ services: { web: { image: 'x', ports } } });
  return ((model.services as Record<string, Record<string, unknown>>).web as Record<string, unknown>).ports;
}

const tcp = (target: number, extra: Record<string, unknown> = {}) => ({ mode: 'ingress', ...extra, target, protocol: 'tcp' });

test('ports: a bare target, as number or string', () => {
  assert.deepEqual(portsOf([80, '81']), [tcp(80), tcp(81)]);
});

test('ports: published:target, with and without protocol', () => {
  assert.deepEqual(portsOf(['8080:80']), [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  assert.deepEqual(portsOf(['8080:80/udp']), [{ mode: 'ingress', target: 80, published: '8080', protocol: 'udp' }]);
  assert.deepEqual(portsOf(['53/UDP']), [{ mode: 'ingress', target: 53, protocol: 'udp' }]);
  assert.deepEqual(portsOf(['9000/sctp']), [{ mode: 'ingress', target: 9000, protocol: 'sctp' }]);
});

test('ports: host IP forms (IPv4, empty published, bracketed and bare IPv6)', () => {
  assert.deepEqual(parsePortSpec('127.0.0.1:8001:8001'), [
    { mode: 'ingress', host_ip: '127.0.0.1', target: 8001, published: '8001', protocol: 'tcp' },
  ]);
  assert.deepEqual(parsePortSpec('127.0.0.1::5000'), [{ mode: 'ingress', host_ip: '127.0.0.1', target: 5000, protocol: 'tcp' }]);
  assert.deepEqual(parsePortSpec('[::1]:8080:80'), [
    { mode: 'ingress', host_ip: '::1', target: 80, published: '8080', protocol: 'tcp' },
  ]);
  assert.deepEqual(parsePortSpec('::1:8080:80'), [
    { mode: 'ingress', host_ip: '::1', target: 80, published: '8080', protocol: 'tcp' },
  ]);
});

test('ports: ranges expand to one entry per port', () => {
  assert.deepEqual(parsePortSpec('3000-3002'), [tcp(3000), tcp(3001), tcp(3002)]);
  assert.deepEqual(parsePortSpec('9090-9091:8080-8081/udp'), [
    { mode: 'ingress', target: 8080, published: '9090', protocol: 'udp' },
    { mode: 'ingress', target: 8081, published: '9091', protocol: 'udp' },
  ]);
});

test('ports: a host range for a single target stays a range (any free port of it)', () => {
  assert.deepEqual(parsePortSpec('8000-8010:80'), [{ mode: 'ingress', target: 80, published: '8000-8010', protocol: 'tcp' }]);
});

test('ports: expanded ranges come out in compose-go order (sorted as text)', () => {
  assert.deepEqual(
    parsePortSpec('8-10').map((p) => p.target),
    [10, 8, 9],
  );
});

test('ports: long syntax gets its defaults and types', () => {
  assert.deepEqual(portsOf([{ target: '80', published: 8080 }]), [
    { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
  ]);
  assert.deepEqual(portsOf([{ target: 80, host_ip: '127.0.0.1', mode: 'host', protocol: 'UDP' }]), [
    { mode: 'host', target: 80, host_ip: '127.0.0.1', protocol: 'udp' },
  ]);
});

test('ports: mistakes are user errors naming the entry', () => {
  for (const bad of ['80/foo', 'abc', '8000-8001:80-82', '999.1.1.1:80:80', '70000', ':']) {
    assert.throws(() => portsOf(['1', bad]), (e: unknown) => e instanceof UserError && /services\.web\.ports\[1\]/.test(e.message), bad);
  }
});

test('ports: canonicalize is idempotent', () => {
  const once = canonicalize({ services: { web: { ports: ['8080:80', '3000-3001', 53] } } });
  assert.deepEqual(canonicalize(once), once);
});
