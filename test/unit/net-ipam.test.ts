import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressInUseError, AddressPool, chooseSubnet, DEFAULT_POOLS, planIpam } from '../../src/net/ipam.js';
import { formatIPv4, formatSubnet, overlaps, parseSubnet } from '../../src/net/ipv4.js';

test("Docker's default pools: 172.17-31/16 then 192.168.x/20", () => {
  assert.equal(DEFAULT_POOLS.length, 31);
  assert.equal(formatSubnet(DEFAULT_POOLS[0]!), '172.17.0.0/16');
  assert.equal(formatSubnet(DEFAULT_POOLS[14]!), '172.31.0.0/16');
  assert.equal(formatSubnet(DEFAULT_POOLS[15]!), '192.168.0.0/20');
  assert.equal(formatSubnet(DEFAULT_POOLS[30]!), '192.168.240.0/20');
});

test('a subnet overlapping a route or a network is skipped', () => {
  assert.equal(formatSubnet(chooseSubnet([parseSubnet('172.17.5.0/24'), parseSubnet('172.18.0.0/16')])), '172.19.0.0/16');
  assert.equal(formatSubnet(chooseSubnet([parseSubnet('172.16.0.0/12')])), '192.168.0.0/20');
  assert.ok(overlaps(parseSubnet('10.0.0.0/8'), parseSubnet('10.1.2.0/24')));
});

test('an asked subnet: gateway defaults to .1, overlaps are conflicts, gateway and range must fit', () => {
  assert.deepEqual(planIpam({ Subnet: '10.5.0.0/24' }, []), { Subnet: '10.5.0.0/24', Gateway: '10.5.0.1' });
  assert.throws(() => planIpam({ Subnet: '10.5.0.0/24' }, [parseSubnet('10.0.0.0/8')]), AddressInUseError);
  assert.throws(() => planIpam({ Subnet: '10.5.0.0/24', Gateway: '10.6.0.1' }, []), /gateway/);
  assert.throws(() => planIpam({ Subnet: '10.5.0.0/24', IPRange: '10.6.0.0/28' }, []), /range/);
  assert.throws(() => planIpam({ Subnet: '10.5.0.0/33' }, []), /invalid CIDR/);
});

test('addresses: lowest free, gateway and aux addresses skipped, range honoured, release reuses', () => {
  const pool = new AddressPool({ Subnet: '10.5.0.0/24', Gateway: '10.5.0.1', AuxiliaryAddresses: { r: '10.5.0.2' } });
  assert.equal(formatIPv4(pool.allocate('a')), '10.5.0.3');
  const b = pool.allocate('b');
  assert.equal(formatIPv4(b), '10.5.0.4');
  pool.release(b);
  assert.equal(formatIPv4(pool.allocate('c')), '10.5.0.4');
  const ranged = new AddressPool({ Subnet: '10.5.0.0/24', Gateway: '10.5.0.1', IPRange: '10.5.0.128/25' });
  assert.equal(formatIPv4(ranged.allocate('a')), '10.5.0.128');
});

test('a requested address: taken twice is a 409, outside the subnet a 400, the gateway reserved', () => {
  const pool = new AddressPool({ Subnet: '10.5.0.0/24', Gateway: '10.5.0.1' });
  assert.equal(formatIPv4(pool.allocate('a', '10.5.0.50')), '10.5.0.50');
  assert.throws(() => pool.allocate('b', '10.5.0.50'), (e: AddressInUseError) => e.statusCode === 409);
  assert.throws(() => pool.allocate('b', '10.6.0.50'), /not in the network's subnet/);
  assert.throws(() => pool.allocate('b', '10.5.0.1'), AddressInUseError);
});

test('a full pool says so', () => {
  const pool = new AddressPool({ Subnet: '10.5.0.0/30', Gateway: '10.5.0.1' });
  pool.allocate('a');
  assert.throws(() => pool.allocate('b'), /no available IPv4 addresses/);
});
