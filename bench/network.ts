// What a bridge network adds to a container's start: start-to-exit of /bin/true on a user-defined network vs
// `--network none` (median of runs; target <= 15 ms extra), and the time until a name on that network resolves.
import { startTestEngine, TEST_IMAGE } from '../test/helpers/engine.js';
import type { EngineApi } from '../src/engine/client/engine-api.js';
import { createNetwork, removeNetwork } from '../src/engine/client/network-api.js';
import { median, report } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

async function startToExit(api: EngineApi, network: string, cmd: string[] = ['/bin/true']): Promise<{ ms: number; code: number }> {
  const start = process.hrtime.bigint();
  const { Id } = await api.createContainer({ Image: TEST_IMAGE, Cmd: cmd, HostConfig: { NetworkMode: network } });
  const exit = await api.waitContainer(Id, 'next-exit');
  await api.startContainer(Id);
  const { StatusCode } = await exit.result();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await api.removeContainer(Id);
  return { ms, code: StatusCode };
}

async function medianOf(api: EngineApi, network: string): Promise<number> {
  await startToExit(api, network); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await startToExit(api, network)).ms);
  return median(times);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the network benchmark needs root');
  const engine = await startTestEngine('bench-net');
  try {
    await createNetwork(engine.api.http, { Name: 'bench-net' });
    console.log(`container start-to-exit of /bin/true, median of ${RUNS} runs`);
    // interleaved so that drift (page cache, stage pool) hits both alike
    const none = await medianOf(engine.api, 'none');
    const bridged = await medianOf(engine.api, 'bench-net');
    const noneAgain = await medianOf(engine.api, 'none');
    report('--network none', Math.min(none, noneAgain));
    report('--network bench-net (veth, address, route, etc files)', bridged);
    report('added by the bridge network', bridged - Math.min(none, noneAgain));
    const resolve = await startToExit(engine.api, 'bench-net', ['sh', '-c', 'i=0; until nslookup $(hostname) >/dev/null 2>&1; do i=$((i+1)); [ $i -gt 1000 ] && exit 1; usleep 1000; done']);
    if (resolve.code === 0) report("start until the container's own name resolves", resolve.ms);
    else console.log('name resolution: not ready within 5 s (is the DNS server wired?)');
    await removeNetwork(engine.api.http, 'bench-net');
  } finally {
    const leftovers = await engine.stop();
    if (leftovers.length > 0) console.error(`left on the host: ${leftovers.join(', ')}`);
  }
}

await main();
