/**
 * What every `inspect` prints, as the docker CLI does: the objects found (a JSON array, or a Go template applied
 * to each), each missing one reported on stderr, exit code 1 when any was missing.
 */
import { CommandExit, type CliIO } from '../io.js';
import { formatInspect, isGoTemplate } from './go-template.js';

export async function printInspected(io: CliIO, refs: string[], fetch: (ref: string) => Promise<unknown>, format: string | undefined): Promise<void> {
  const found: unknown[] = [];
  let missing = false;
  for (const ref of refs) {
    try {
      found.push(await fetch(ref));
    } catch (e) {
      missing = true;
      io.stderr(`${(e as Error).message}\n`);
    }
  }
  io.stdout(isGoTemplate(format) ? formatInspect(format!, found) : `${JSON.stringify(found, null, 4)}\n`);
  if (missing) throw new CommandExit(1);
}
