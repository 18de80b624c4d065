/** `push [SERVICE...]`: each service's `image:` to its registry (built or pulled images alike), as docker compose push. */
import { Command } from 'commander';
import { pushImage } from '../../../engine/client/image-transfer.js';
import { UserError } from '../../../errors.js';
import { familiarName, parseReference } from '../../../image/reference.js';
import { quietProgress } from '../../../compose/project/progress.js';
import type { CliIO } from '../../io.js';
import { credentialsFor } from '../image/registry-auth.js';
import { composeContext, servicesOrAll } from './context.js';
import { withDependencies } from './selection.js';

interface PushFlags {
  ignorePushFailures: boolean;
  includeDeps: boolean;
  quiet: boolean;
}

export function pushCommand(io: CliIO): Command {
  return new Command('push')
    .description('Push service images')
    .argument('[services...]')
    .option('--ignore-push-failures', 'Push what it can and ignores images with push failures', false)
    .option('--include-deps', 'Also push images of services declared as dependencies', false)
    .option('-q, --quiet', 'Push without printing progress information', false)
    .action(async (services: string[], flags: PushFlags, command: Command) => {
      const ctx = await composeContext(io, command, services);
      const targets = flags.includeDeps ? withDependencies(ctx.project, servicesOrAll(ctx, services)) : servicesOrAll(ctx, services);
      const progress = flags.quiet ? quietProgress : ctx.progress;
      const failures: string[] = [];
      const pushed = new Set<string>();
      try {
        for (const service of ctx.desired().services.filter((s) => targets.includes(s.name))) {
          if (typeof service.config.image !== 'string' || pushed.has(service.image)) continue; // nothing named to push to
          pushed.add(service.image);
          const ref = parseReference(service.image);
          progress({ kind: 'Image', name: service.image, status: 'Pushing' });
          try {
            const auth = credentialsFor(io, service.image);
            for await (const _message of await pushImage(ctx.engine.http, familiarName(ref), { tag: ref.tag, ...(auth ? { auth } : {}) })) {
              // per-layer progress belongs to `image push`; compose shows the image's state
            }
            progress({ kind: 'Image', name: service.image, status: 'Pushed', done: true });
          } catch (e) {
            progress({ kind: 'Image', name: service.image, status: 'Error', detail: (e as Error).message, done: true, error: true });
            failures.push(`${service.name}: ${(e as Error).message}`);
          }
        }
      } finally {
        ctx.finishProgress();
      }
      if (failures.length && !flags.ignorePushFailures) throw new UserError(failures.join('\n'));
    });
}
