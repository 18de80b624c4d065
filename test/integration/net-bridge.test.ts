/**
 * Bridge networks end to end (root): real containers, real bridges, veth pairs and firewall rules. Traffic goes only
 * to addresses of containers this test started.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { waitUntilUp } from '../../src/engine/client/autostart.js';
import { launchEngine, startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { requiresRoot } from '../helpers/root-guard.js';

const skip = requiresRoot();
let engine: TestEngine;
let forwardPolicyBefore = '';
let ipForwardBefore = '';

const forwardPolicy = (): string => spawnSync('iptables', ['-w', '-S', 'FORWARD'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
const ipForward = (): string => readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  return engine.cli(args);
}

function ok(...args: string[]): string {
  const r = cli(...args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A busybox web server answering "hello <name>"; returns its address on `network`. */
async function webServer(name: string, network: string, ...flags: string[]): Promise<string> {
  ok('container', 'run', '-d', '--name', name, '--network', network, ...flags, TEST_IMAGE, 'sh', '-c', `mkdir /www; echo hello ${name} > /www/index.html; exec httpd -f -p 80 -h /www`);
  return (await engine.api.inspectContainer(name) as unknown as { NetworkSettings: { Networks: Record<string, { IPAddress: string }> } }).NetworkSettings.Networks[network]!.IPAddress;
}

/** wget from a throwaway container on `network` (busybox's `wget -T` crashes: `timeout` bounds it instead). */
function fetchFrom(network: string, url: string): string {
  return cli('container', 'run', '--rm', '--network', network, TEST_IMAGE, 'sh', '-c', `timeout 3 wget -qO- ${url} || echo UNREACHABLE`).stdout.trim();
}

describe('bridge networks', { skip }, () => {
  before(async () => {
    forwardPolicyBefore = forwardPolicy();
    ipForwardBefore = ipForward();
    engine = await startTestEngine('net');
    ok('network', 'create', 'tsct-a');
    ok('network', 'create', 'tsct-b');
    ok('network', 'create', '--internal', '--subnet', '10.231.7.0/24', 'tsct-int');
  });

  after(async () => {
    cli('container', 'rm', '-f', 'web-a', 'web-ip', 'live', 'pub');
    for (const n of ['tsct-a', 'tsct-b', 'tsct-int']) cli('network', 'rm', n);
    assert.deepEqual(await engine.stop(), [], 'the engine left objects on the host');
    assert.equal(forwardPolicy(), forwardPolicyBefore, 'FORWARD policy changed');
    assert.equal(ipForward(), ipForwardBefore, 'ip_forward changed');
  });

  test('two containers on one network reach each other; one on another network does not', async () => {
    const ip = await webServer('web-a', 'tsct-a');
    assert.equal(fetchFrom('tsct-a', `http://${ip}/`), 'hello web-a');
    assert.equal(fetchFrom('tsct-b', `http://${ip}/`), 'UNREACHABLE');
  });

  test('by name on the network (embedded DNS); not on another network', () => {
    assert.equal(fetchFrom('tsct-a', 'http://web-a/'), 'hello web-a');
    // asked on the internal network, whose DNS server forwards nothing (no query leaves the machine)
    const elsewhere = cli('container', 'run', '--rm', '--network', 'tsct-int', TEST_IMAGE, 'nslookup', 'web-a').stdout;
    assert.doesNotMatch(elsewhere, /Address: 172\./);
  });

  test('a published port answers on the host loopback', async () => {
    ok('container', 'run', '-d', '--name', 'pub', '--network', 'tsct-a', '-p', '127.0.0.1::80', TEST_IMAGE, 'sh', '-c', 'mkdir /www; echo hello pub > /www/index.html; exec httpd -f -p 80 -h /www');
    const ports = JSON.parse(ok('container', 'inspect', 'pub'))[0].NetworkSettings.Ports as Record<string, Array<{ HostIp: string; HostPort: string }>>;
    const binding = ports['80/tcp']![0]!;
    assert.equal(binding.HostIp, '127.0.0.1');
    // no keep-alive: a pooled connection would hold the proxy open while the container is removed
    const body = await new Promise<string>((resolve, reject) => {
      get({ host: '127.0.0.1', port: Number(binding.HostPort), path: '/', agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text));
      }).on('error', reject);
    });
    assert.equal(body.trim(), 'hello pub');
    ok('container', 'rm', '-f', 'pub');
  });

  test('the same with the host firewall dropping forwarded traffic (FORWARD DROP)', () => {
    spawnSync('iptables', ['-w', '-P', 'FORWARD', 'DROP']);
    try {
      const address = JSON.parse(ok('container', 'inspect', 'web-a'))[0].NetworkSettings.Networks['tsct-a'].IPAddress as string;
      assert.equal(fetchFrom('tsct-a', `http://${address}/`), 'hello web-a');
    } finally {
      spawnSync('iptables', ['-w', '-P', 'FORWARD', forwardPolicyBefore.includes('DROP') ? 'DROP' : 'ACCEPT']);
    }
  });

  test('an internal network has no default route; a bridged one has', () => {
    const internal = ok('container', 'run', '--rm', '--network', 'tsct-int', TEST_IMAGE, 'ip', 'route');
    assert.doesNotMatch(internal, /default/);
    assert.match(internal, /10\.231\.7\.0\/24 dev eth0/);
    assert.match(ok('container', 'run', '--rm', '--network', 'tsct-a', TEST_IMAGE, 'ip', 'route'), /^default via \S+ dev eth0/m);
  });

  test('--ip and --mac-address are honoured; the same address twice is a conflict', async () => {
    const ip = await webServer('web-ip', 'tsct-int', '--ip', '10.231.7.77', '--mac-address', '02:42:0a:e7:07:4d');
    assert.equal(ip, '10.231.7.77');
    const shown = ok('container', 'run', '--rm', '--network', 'tsct-int', TEST_IMAGE, 'sh', '-c', `ip addr show eth0; timeout 3 wget -qO- http://10.231.7.77/`);
    assert.match(shown, /hello web-ip/);
    const inside = ok('container', 'exec', 'web-ip', 'ip', 'addr', 'show', 'eth0');
    assert.match(inside, /link\/ether 02:42:0a:e7:07:4d/);
    assert.match(inside, /inet 10\.231\.7\.77\/24/);
    const clash = cli('container', 'run', '--rm', '--network', 'tsct-int', '--ip', '10.231.7.77', TEST_IMAGE, 'true');
    assert.notEqual(clash.code, 0);
    assert.match(clash.stderr, /already in use/);
  });

  test('connect and disconnect a running container', async () => {
    ok('container', 'run', '-d', '--name', 'live', '--network', 'tsct-a', TEST_IMAGE, 'sh', '-c', 'mkdir /www; echo hello live > /www/index.html; exec httpd -f -p 80 -h /www');
    ok('network', 'connect', '--alias', 'lively', 'tsct-b', 'live');
    const networks = JSON.parse(ok('container', 'inspect', 'live'))[0].NetworkSettings.Networks as Record<string, { IPAddress: string; Aliases: string[] }>;
    assert.deepEqual(Object.keys(networks).sort(), ['tsct-a', 'tsct-b']);
    assert.deepEqual(networks['tsct-b']!.Aliases, ['lively']);
    assert.match(ok('container', 'exec', 'live', 'ip', 'addr', 'show', 'eth1'), new RegExp(`inet ${networks['tsct-b']!.IPAddress.replace(/\./g, '\\.')}/`));
    assert.equal(fetchFrom('tsct-b', `http://${networks['tsct-b']!.IPAddress}/`), 'hello live');
    assert.equal(fetchFrom('tsct-b', 'http://lively/'), 'hello live');
    const inspected = JSON.parse(ok('network', 'inspect', 'tsct-b'))[0] as { Containers: Record<string, { Name: string }> };
    assert.ok(Object.values(inspected.Containers).some((c) => c.Name === 'live'));
    const busy = cli('network', 'rm', 'tsct-b');
    assert.notEqual(busy.code, 0);
    assert.match(busy.stderr, /active endpoints/);
    ok('network', 'disconnect', 'tsct-b', 'live');
    assert.notEqual(cli('container', 'exec', 'live', 'ip', 'addr', 'show', 'eth1').code, 0);
    assert.equal(fetchFrom('tsct-b', `http://${networks['tsct-b']!.IPAddress}/`), 'UNREACHABLE');
  });

  test('the default network: created on first use, NAT and a default route', () => {
    assert.match(ok('container', 'run', '--rm', TEST_IMAGE, 'ip', 'route'), /^default via/m);
    const listed = ok('network', 'ls', '--format', 'json').split('\n').map((l) => JSON.parse(l) as { Name: string });
    assert.ok(listed.some((n) => n.Name === 'bridge'));
    assert.equal(ipForward(), '1');
  });

  test('network API: 404, 409 on a duplicate name, prune', async () => {
    await assert.rejects(engine.api.http.json('GET', '/networks/nope'), (e: { status: number }) => e.status === 404);
    await assert.rejects(engine.api.http.json('POST', '/networks/create', { body: { Name: 'tsct-a' } }), (e: { status: number }) => e.status === 409);
    ok('network', 'create', '--label', 'tsct=1', 'tsct-prune');
    assert.match(ok('network', 'prune', '-f', '--filter', 'label=tsct=1'), /tsct-prune/);
    assert.equal(cli('network', 'inspect', 'tsct-prune').code, 1);
  });
});

test('the engine killed with SIGKILL: the next start removes what it left and rebuilds its networks', { skip }, async () => {
  const crashed = await startTestEngine('netcrash');
  const run = (...args: string[]) => crashed.cli(args);
  try {
    assert.equal(run('network', 'create', 'tsct-crash').code, 0);
    assert.equal(run('container', 'run', '-d', '--name', 'c1', '--network', 'tsct-crash', TEST_IMAGE, 'sleep', '1000').code, 0);
    crashed.process.kill('SIGKILL');
    await new Promise((resolve) => crashed.process.once('exit', resolve));
    crashed.process = launchEngine(crashed.config, crashed.env);
    await waitUntilUp(crashed.api.http, crashed.config);
    assert.equal(run('container', 'start', 'c1').code, 0);
    assert.match(run('container', 'exec', 'c1', 'ip', 'route').stdout, /default via/);
    assert.equal(run('container', 'rm', '-f', 'c1').code, 0);
    assert.equal(run('network', 'rm', 'tsct-crash').code, 0);
  } finally {
    assert.deepEqual(await crashed.stop(), []);
  }
});
