import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostResolvers } from '../../src/net/dns/server.js';
import { parseUpstream } from '../../src/net/dns/resolv-conf.js';
import { candidateNames, canonicalName, ipv4OfReverseName } from '../../src/net/dns/names.js';

test('hostResolvers reads nameservers, the last search/domain line and options', () => {
  const text = '# generated\n; also a comment\nnameserver 10.0.0.2\nnameserver  fe80::1%eth0\nnameserver bogus\ndomain old.example\nsearch Corp.Example. lab.example\noptions ndots:2 timeout:1\n';
  assert.deepEqual(hostResolvers(text), {
    nameservers: ['10.0.0.2', 'fe80::1%eth0'],
    search: ['corp.example', 'lab.example'],
    options: ['ndots:2', 'timeout:1'],
  });
  assert.deepEqual(hostResolvers(''), { nameservers: [], search: [], options: [] });
});

test('upstream addresses: ip, ip:port, IPv6 bare and bracketed', () => {
  assert.deepEqual(parseUpstream('10.0.0.2'), { host: '10.0.0.2', port: 53, family: 4 });
  assert.deepEqual(parseUpstream('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353, family: 4 });
  assert.deepEqual(parseUpstream('2001:db8::1'), { host: '2001:db8::1', port: 53, family: 6 });
  assert.deepEqual(parseUpstream('[2001:db8::1]:5300'), { host: '2001:db8::1', port: 5300, family: 6 });
  assert.equal(parseUpstream('dns.example'), undefined);
  assert.equal(parseUpstream('10.0.0.2:70000'), undefined);
});

test('names: canonical form, search-domain candidates, reverse names', () => {
  assert.equal(canonicalName('Web.'), 'web');
  assert.deepEqual(candidateNames('web.corp.example', ['corp.example', 'example']), ['web.corp.example', 'web', 'web.corp']);
  assert.deepEqual(candidateNames('corp.example', ['corp.example']), ['corp.example']);
  assert.deepEqual(candidateNames('xcorp.example', ['corp.example']), ['xcorp.example']);
  assert.equal(ipv4OfReverseName('5.0.9.10.in-addr.arpa'), '10.9.0.5');
  assert.equal(ipv4OfReverseName('9.10.in-addr.arpa'), undefined);
  assert.equal(ipv4OfReverseName('300.0.9.10.in-addr.arpa'), undefined);
});
