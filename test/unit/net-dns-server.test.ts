import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import dnsPacket from 'dns-packet';
import { startDnsServer, type DnsServer, type DnsServerOptions } from '../../src/net/dns/server.js';
import { addressesOf, makeQuery, startFakeUpstream, tcpExchange, udpExchange, udpQuery } from '../helpers/dns.js';

const HOST = '127.0.0.31';
const UPSTREAM_HOST = '127.0.0.32';
const TABLE: Record<string, string[]> = {
  web: ['10.9.0.2', '10.9.0.3', '10.9.0.4'],
  db: ['10.9.0.5'],
  database: ['10.9.0.5'], // an alias of db
  'proj-db-1': ['10.9.0.5'], // its container name
  stopped: [],
};
const lookup = (name: string): string[] | undefined => TABLE[name];

async function withServer(extra: Partial<DnsServerOptions>, body: (server: DnsServer) => Promise<void>): Promise<void> {
  const server = await startDnsServer({ address: HOST, port: 0, lookup, upstreams: [], timeoutMs: 300, ...extra });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

test('A for a name with three replicas returns all three, rotated from one query to the next', async () => {
  await withServer({}, async (server) => {
    const orders: string[][] = [];
    for (let i = 0; i < 4; i++) orders.push(addressesOf(await udpQuery(HOST, server.port, 'web')));
    for (const order of orders) assert.deepEqual([...order].sort(), TABLE.web);
    assert.deepEqual(orders.map((o) => o[0]), ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.2']);
    const answer = await udpQuery(HOST, server.port, 'web');
    assert.equal(answer.rcode, 'NOERROR');
    assert.ok(answer.flag_aa && answer.flag_qr && answer.flag_ra);
    assert.ok(answer.answers!.every((a) => a.type === 'A' && a.ttl === 10 && a.name === 'web'));
  });
});

test('aliases, container names, any case, a trailing dot and search domains all resolve', async () => {
  await withServer({ searchDomains: ['corp.example', 'Lab.Example.'] }, async (server) => {
    for (const name of ['database', 'proj-db-1', 'DB', 'Db.', 'db.corp.example', 'DB.CORP.EXAMPLE.', 'db.lab.example']) {
      assert.deepEqual(addressesOf(await udpQuery(HOST, server.port, name)), ['10.9.0.5'], name);
    }
    const asked = await udpQuery(HOST, server.port, 'DB.Corp.Example');
    assert.equal(asked.answers![0]!.name, 'DB.Corp.Example', 'the answer names the question as asked');
  });
});

test('AAAA and other types of a known name: NOERROR without answers; a name without replicas too', async () => {
  await withServer({}, async (server) => {
    for (const [name, type] of [['web', 'AAAA'], ['db', 'MX'], ['web', 'TXT'], ['stopped', 'A']] as const) {
      const answer = await udpQuery(HOST, server.port, name, type);
      assert.equal(answer.rcode, 'NOERROR', `${name} ${type}`);
      assert.deepEqual(answer.answers, []);
    }
  });
});

test('PTR of our addresses uses reverse; others are forwarded', async () => {
  const upstream = await startFakeUpstream(UPSTREAM_HOST, '192.0.2.1');
  const reverse = (ip: string): string | undefined => (ip === '10.9.0.5' ? 'proj-db-1.proj_default' : undefined);
  await withServer({ reverse, upstreams: [`${UPSTREAM_HOST}:${upstream.port}`] }, async (server) => {
    const answer = await udpQuery(HOST, server.port, '5.0.9.10.in-addr.arpa', 'PTR');
    assert.equal(answer.answers![0]!.type, 'PTR');
    assert.equal(answer.answers![0]!.data, 'proj-db-1.proj_default');
    await udpQuery(HOST, server.port, '9.0.9.10.in-addr.arpa', 'PTR');
    assert.equal(upstream.seen.udp, 1);
  });
  await upstream.close();
});

test('unknown names go to the upstream and its answer comes back with the client id, over UDP and TCP', async () => {
  const upstream = await startFakeUpstream(UPSTREAM_HOST, '192.0.2.7');
  await withServer({ upstreams: [`${UPSTREAM_HOST}:${upstream.port}`] }, async (server) => {
    const viaUdp = makeQuery('elsewhere.example');
    const udpAnswer = await udpExchange(HOST, server.port, viaUdp.raw);
    assert.equal(udpAnswer?.id, viaUdp.id);
    assert.deepEqual(addressesOf(udpAnswer!), ['192.0.2.7']);
    const viaTcp = makeQuery('other.example');
    const tcpAnswer = await tcpExchange(HOST, server.port, viaTcp.raw);
    assert.equal(tcpAnswer.id, viaTcp.id);
    assert.deepEqual(addressesOf(tcpAnswer), ['192.0.2.7']);
    assert.deepEqual(upstream.seen, { udp: 1, tcp: 1 });
  });
  await upstream.close();
});

test('a truncated upstream answer over UDP is passed on as is', async () => {
  const upstream = await startFakeUpstream(UPSTREAM_HOST, '192.0.2.8', { truncateUdp: true });
  await withServer({ upstreams: [`${UPSTREAM_HOST}:${upstream.port}`] }, async (server) => {
    const answer = await udpQuery(HOST, server.port, 'big.example');
    assert.ok(answer.flag_tc);
    assert.deepEqual(answer.answers, []);
  });
  await upstream.close();
});

test('a silent upstream is skipped for the next one after the timeout', async () => {
  const silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, UPSTREAM_HOST, r));
  const upstream = await startFakeUpstream(UPSTREAM_HOST, '192.0.2.9');
  await withServer({ upstreams: [`${UPSTREAM_HOST}:${silent.address().port}`, `${UPSTREAM_HOST}:${upstream.port}`], timeoutMs: 150 }, async (server) => {
    const start = Date.now();
    assert.deepEqual(addressesOf(await udpQuery(HOST, server.port, 'x.example')), ['192.0.2.9']);
    assert.ok(Date.now() - start >= 140);
  });
  silent.close();
  await upstream.close();
});

test('no upstream reachable: SERVFAIL within the timeout (silent, refused, or none configured)', async () => {
  const silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, UPSTREAM_HOST, r));
  const refusedPort = await freeTcpPort(UPSTREAM_HOST);
  await withServer({ upstreams: [`${UPSTREAM_HOST}:${silent.address().port}`], timeoutMs: 200 }, async (server) => {
    const start = Date.now();
    const answer = await udpQuery(HOST, server.port, 'gone.example');
    assert.equal(answer.rcode, 'SERVFAIL');
    assert.ok(Date.now() - start < 600);
  });
  await withServer({ upstreams: [`${UPSTREAM_HOST}:${refusedPort}`], timeoutMs: 5000 }, async (server) => {
    const start = Date.now();
    assert.equal((await udpQuery(HOST, server.port, 'gone.example')).rcode, 'SERVFAIL');
    assert.equal((await tcpExchange(HOST, server.port, makeQuery('gone.example').raw)).rcode, 'SERVFAIL');
    assert.ok(Date.now() - start < 1000, 'a refused port fails over at once');
  });
  await withServer({ upstreams: [] }, async (server) => {
    assert.equal((await udpQuery(HOST, server.port, 'gone.example')).rcode, 'SERVFAIL');
  });
  silent.close();
});

test('malformed packets are dropped and the server keeps answering', async () => {
  await withServer({}, async (server) => {
    const good = makeQuery('db').raw;
    for (const junk of [Buffer.from([1, 2, 3]), Buffer.alloc(0), good.subarray(0, good.length - 3), Buffer.concat([good.subarray(0, 12), Buffer.from([0xff, 0xff, 0xff])])]) {
      assert.equal(await udpExchange(HOST, server.port, junk, 150), undefined);
    }
    // A response sent to the server is not answered either (no reflection loops).
    const response = dnsPacket.encode({ id: 1, type: 'response', questions: [{ type: 'A', name: 'db' }] });
    assert.equal(await udpExchange(HOST, server.port, response, 150), undefined);
    assert.deepEqual(addressesOf(await udpQuery(HOST, server.port, 'db')), ['10.9.0.5']);
  });
});

test('an answer too large for UDP is truncated with TC; over TCP it is whole', async () => {
  const many = Array.from({ length: 60 }, (_, i) => `10.8.0.${i + 1}`);
  await withServer({ lookup: (name) => (name === 'many-replicas-of-a-long-service-name' ? many : undefined) }, async (server) => {
    const overUdp = await udpQuery(HOST, server.port, 'many-replicas-of-a-long-service-name');
    assert.ok(overUdp.flag_tc);
    assert.ok(overUdp.answers!.length > 0 && overUdp.answers!.length < 60);
    const overTcp = await tcpExchange(HOST, server.port, makeQuery('many-replicas-of-a-long-service-name').raw);
    assert.ok(!overTcp.flag_tc);
    assert.equal(overTcp.answers!.length, 60);
  });
});

test('a lookup that throws gives SERVFAIL and is reported', async () => {
  const errors: unknown[] = [];
  const lookupThatThrows = (): string[] => {
    throw new Error('table broken');
  };
  await withServer({ lookup: lookupThatThrows, onError: (e) => errors.push(e) }, async (server) => {
    assert.equal((await udpQuery(HOST, server.port, 'db')).rcode, 'SERVFAIL');
  });
  assert.equal(errors.length, 1);
});

test('close() frees the port for UDP and TCP', async () => {
  const server = await startDnsServer({ address: HOST, port: 0, lookup, upstreams: [] });
  const port = server.port;
  await server.close();
  const again = await startDnsServer({ address: HOST, port, lookup, upstreams: [] });
  assert.equal(again.port, port);
  assert.deepEqual(addressesOf(await udpQuery(HOST, port, 'db')), ['10.9.0.5']);
  await again.close();
});

test('a taken port is reported', async () => {
  const server = await startDnsServer({ address: HOST, port: 0, lookup, upstreams: [] });
  await assert.rejects(startDnsServer({ address: HOST, port: server.port, lookup, upstreams: [] }), /EADDRINUSE/);
  await server.close();
});

function freeTcpPort(address: string): Promise<number> {
  const probe = createServer();
  return new Promise((resolve) =>
    probe.listen(0, address, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    }),
  );
}
