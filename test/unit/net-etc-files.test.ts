import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsFile, resolvConf } from '../../src/engine/networks/etc-files.js';
import { wantedNetworks } from '../../src/engine/networks/select.js';
import type { ContainerRecord } from '../../src/engine/containers/record.js';

const host = 'nameserver 127.0.0.53\nnameserver 192.0.2.53\nsearch corp.example\noptions edns0\n';

test('resolv.conf: our DNS on a user network, else the host servers minus loopback; --dns wins', () => {
  assert.equal(resolvConf({ hostResolvConf: host, embeddedDns: '172.18.0.1', dns: [], dnsSearch: [], dnsOptions: [] }), 'nameserver 172.18.0.1\nsearch corp.example\noptions edns0\n');
  assert.equal(resolvConf({ hostResolvConf: host, dns: [], dnsSearch: [], dnsOptions: [] }), 'nameserver 192.0.2.53\nsearch corp.example\noptions edns0\n');
  assert.equal(resolvConf({ hostResolvConf: host, embeddedDns: '172.18.0.1', dns: ['9.9.9.9'], dnsSearch: ['a.test'], dnsOptions: ['ndots:2'] }), 'nameserver 9.9.9.9\nsearch a.test\noptions ndots:2\n');
});

test('hosts: localhost lines, extra hosts (host-gateway = the gateway), own address last', () => {
  const text = hostsFile({ hostname: 'web', domainname: 'test', address: '172.18.0.2', gateway: '172.18.0.1', extraHosts: ['db:10.0.0.9', 'gw:host-gateway'] });
  const lines = text.trim().split('\n');
  assert.equal(lines[0], '127.0.0.1\tlocalhost');
  assert.deepEqual(lines.slice(-3), ['10.0.0.9\tdb', '172.18.0.1\tgw', '172.18.0.2\tweb.test web']);
});

const record = (mode: string | undefined, endpoints: Record<string, object> = {}): ContainerRecord =>
  ({ hostConfig: mode === undefined ? {} : { NetworkMode: mode }, networkingConfig: { EndpointsConfig: endpoints } }) as unknown as ContainerRecord;

test('which networks, in interface order', () => {
  assert.deepEqual(wantedNetworks(record(undefined)).map((w) => w.ref), ['bridge']);
  assert.deepEqual(wantedNetworks(record('front', { back: {}, front: { Aliases: ['x'] } })).map((w) => [w.ref, w.config]), [['front', { Aliases: ['x'] }], ['back', {}]]);
  assert.deepEqual(wantedNetworks(record('none')), []);
  assert.deepEqual(wantedNetworks(record('host')), []);
  assert.deepEqual(wantedNetworks(record('container:abc')), []);
});
