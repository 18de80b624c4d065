import { readFileSync } from 'node:fs';

/** tscompose's version, read from package.json (two folders above the built module). */
export const VERSION: string = (() => {
  try {
    const url = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-dev';
  }
})();
