#!/usr/bin/env node
// Writes a small busybox root filesystem as a tarball, from Debian's busybox-static: the base image of
// tests and examples (imported as tscompose/busybox:latest). Plain Node, no build needed:
//   node scripts/make-busybox-rootfs.mjs OUT.tar [--busybox /bin/busybox]
// The tarball is reproducible (sorted entries, fixed mtimes), so importing it twice reuses the layer.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, lutimesSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from 'tar';

const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');

const DIRS = [
  ['bin', 0o755], ['sbin', 0o755], ['usr', 0o755], ['usr/bin', 0o755], ['usr/sbin', 0o755], ['usr/local', 0o755], ['usr/local/bin', 0o755],
  ['etc', 0o755], ['root', 0o700], ['home', 0o755], ['home/app', 0o755, 1000, 1000],
  ['tmp', 0o1777], ['var', 0o755], ['var/tmp', 0o1777], ['var/log', 0o755], ['run', 0o755],
  ['proc', 0o555], ['sys', 0o555], ['dev', 0o755],
];

const FILES = {
  'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/home/app:/bin/sh\n',
  'etc/group': 'root:x:0:\nnobody:x:65534:\napp:x:1000:\n',
  'etc/hosts': '',
  'etc/hostname': '',
  'etc/resolv.conf': '',
};

/** Scripts standing in for the coreutils Debian's busybox lacks (public images such as alpine have them). */
const SCRIPTS = {
  // printenv [NAME...]: the environment, or each named variable's value (exit 1 when one is unset)
  'usr/bin/printenv': '#!/bin/sh\n[ $# -eq 0 ] && exec env\nrc=0\nfor name; do eval "set_=\\${$name+x}"; if [ -n "$set_" ]; then eval "printf \'%s\\\\n\' \\"\\$$name\\""; else rc=1; fi; done\nexit $rc\n',
};

/** Where each applet's link goes: sbin applets in /sbin, everything else in /bin. */
function appletLinks(busybox) {
  const listed = execFileSync(busybox, ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const links = new Map();
  for (const entry of listed) {
    const name = entry.split('/').pop();
    const dir = entry.includes('sbin/') ? 'sbin' : 'bin';
    if (name !== 'busybox' && !links.has(`${dir}/${name}`)) links.set(`${dir}/${name}`, dir === 'bin' ? 'busybox' : '../bin/busybox');
  }
  links.set('usr/bin/env', '../../bin/busybox'); // for "#!/usr/bin/env sh" scripts
  return links;
}

function stage(root, busybox) {
  for (const [dir, mode, uid = 0, gid = 0] of DIRS) {
    mkdirSync(join(root, dir), { recursive: true });
    chownSync(join(root, dir), uid, gid);
    chmodSync(join(root, dir), mode);
  }
  copyFileSync(busybox, join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  for (const [path, content] of Object.entries(FILES)) writeFileSync(join(root, path), content, { mode: 0o644 });
  for (const [path, content] of Object.entries(SCRIPTS)) writeFileSync(join(root, path), content, { mode: 0o755 });
  const links = appletLinks(busybox);
  for (const [path, target] of links) symlinkSync(target, join(root, path));
  return [...DIRS.map(([dir]) => dir), 'bin/busybox', ...Object.keys(FILES), ...Object.keys(SCRIPTS), ...links.keys()];
}

/** Builds the rootfs tarball at `outPath`; returns the number of entries. */
export async function makeBusyboxRootfs(outPath, { busybox = process.env.BUSYBOX ?? '/bin/busybox' } = {}) {
  if (!existsSync(busybox)) throw new Error(`${busybox} not found: install Debian's busybox-static (scripts/setup.sh does)`);
  const root = mkdtempSync(join(tmpdir(), 'tscompose-busybox-'));
  try {
    const paths = stage(root, busybox).sort();
    for (const path of paths) lutimesSync(join(root, path), FIXED_MTIME, FIXED_MTIME);
    mkdirSync(dirname(resolve(outPath)), { recursive: true });
    // Not "portable" (it would drop owners and sticky bits); pin the times node-tar records instead.
    const pinTimes = (entry) => Object.assign(entry.stat, { atime: FIXED_MTIME, ctime: FIXED_MTIME });
    await create({ file: outPath, cwd: root, noDirRecurse: true, mtime: FIXED_MTIME, onWriteEntry: pinTimes }, paths);
    return paths.length;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const flag = args.indexOf('--busybox');
  const busybox = flag === -1 ? undefined : args.splice(flag, 2)[1];
  const out = args[0];
  if (!out) {
    console.error('usage: make-busybox-rootfs.mjs OUT.tar [--busybox /bin/busybox]');
    process.exit(2);
  }
  const count = await makeBusyboxRootfs(out, busybox ? { busybox } : {});
  console.log(`${relative(process.cwd(), resolve(out)) || out}: ${count} entries`);
}
