import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxTarball } from '../../helpers/engine.js';

/**
 * Local stand-ins for the public images the scenarios name (no registry outside this machine is reachable):
 * busybox, plus for nginx a welcome page served on port 80 and a `curl` that busybox's wget answers for.
 */
export function nginxStandInTarball(): string {
  const out = join(tmpdir(), 'tscompose-test-fixtures', 'nginx-stand-in.tar');
  if (existsSync(out)) return out;
  const root = mkdtempSync(join(tmpdir(), 'tscompose-nginx-'));
  try {
    execFileSync('tar', ['-xf', busyboxTarball(), '-C', root]);
    mkdirSync(join(root, 'usr/share/nginx/html'), { recursive: true });
    writeFileSync(join(root, 'usr/share/nginx/html/index.html'), '<!DOCTYPE html>\n<html><body><h1>Welcome to nginx!</h1></body></html>\n');
    mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
    const curl = join(root, 'usr/local/bin/curl');
    // curl [-f] [-s] [-S] [-L] URL → wget (enough for the scenarios' probes)
    writeFileSync(curl, '#!/bin/sh\nurl=""\nfor a in "$@"; do case "$a" in -*) ;; *) url="$a" ;; esac; done\nexec wget -q -O - "$url"\n');
    chmodSync(curl, 0o755);
    execFileSync('tar', ['-cf', `${out}.tmp`, '-C', root, '.']);
    execFileSync('mv', ['-f', `${out}.tmp`, out]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}
