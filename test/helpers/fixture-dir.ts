import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary project folder with the given files (path → content); removed by `cleanup`. */
export interface FixtureDir {
  path: string;
  file: (name: string) => string;
  cleanup: () => void;
}

export function fixtureDir(files: Record<string, string>, prefix = 'tscompose-test-'): FixtureDir {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return { path: root, file: (name) => join(root, name), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
