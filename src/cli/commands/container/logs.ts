import { Command } from 'commander';
import { FrameDecoder } from '../../../engine/logs/stream-framing.js';
import { connectEngine } from '../../engine-connection.js';
import type { CliIO } from '../../io.js';

export function logsCommand(io: CliIO): Command {
  return new Command('logs')
    .description('Fetch the logs of a container')
    .argument('<container>')
    .option('-f, --follow', 'Follow log output', false)
    .option('-t, --timestamps', 'Show timestamps', false)
    .option('-n, --tail <n>', 'Number of lines to show from the end of the logs', 'all')
    .option('--since <time>', 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)')
    .option('--until <time>', 'Show logs before a timestamp or relative time')
    .action(async (name: string, flags: { follow: boolean; timestamps: boolean; tail: string; since?: string; until?: string }) => {
      const engine = await connectEngine(io);
      const tty = (await engine.inspectContainer(name)).Config.Tty === true;
      const res = await engine.logs(name, { follow: flags.follow, timestamps: flags.timestamps, tail: flags.tail, since: flags.since, until: flags.until });
      if (tty) {
        for await (const chunk of res) io.streams.out.write(chunk as Buffer);
        return;
      }
      for await (const frame of res.pipe(new FrameDecoder()) as AsyncIterable<{ stream: string; payload: Buffer }>) {
        (frame.stream === 'stderr' ? io.streams.err : io.streams.out).write(frame.payload);
      }
    });
}
