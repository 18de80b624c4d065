/** Docker's `--tmpfs /path:size=64m,mode=1777,ro,uid=1000` option strings. */
import { UserError } from '../../errors.js';
import { parseBytes } from '../../util/units.js';
import type { TmpfsSettings } from './plan.js';

/** Mount flags Docker accepts there that are not tmpfs data; the runtime sets nosuid,nodev itself. */
const IGNORED_FLAGS = new Set(['rw', 'nosuid', 'nodev', 'suid', 'dev', 'exec', 'noexec']);

export function tmpfsFromOptions(options: string): TmpfsSettings {
  const settings: TmpfsSettings = {};
  const rest: string[] = [];
  for (const option of options.split(',').map((o) => o.trim()).filter((o) => o !== '')) {
    const [key = '', value = ''] = option.split('=', 2);
    if (key === 'size') settings.sizeBytes = parseBytes(value) ?? invalid(`invalid tmpfs size: '${value}'`);
    else if (key === 'mode') settings.mode = /^[0-7]{1,4}$/.test(value) ? parseInt(value, 8) : invalid(`invalid tmpfs mode: '${value}'`);
    else if (key === 'ro') settings.readOnly = true;
    else if (!IGNORED_FLAGS.has(key)) rest.push(option);
  }
  if (rest.length) settings.options = rest;
  return settings;
}

function invalid(message: string): never {
  throw new UserError(message);
}
