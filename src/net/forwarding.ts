/**
 * net.ipv4.ip_forward, shared by every engine on the host: the first user records the value it found, the last one
 * to leave writes it back. Users are files named after their engine holding its PID, so a killed engine's claim
 * is recognised as dead (and its restart takes it over).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SYSCTL = '/proc/sys/net/ipv4/ip_forward';
const DEFAULT_DIR = '/run/tscompose-net/ip-forward';
const ORIGINAL = 'original-value';

export class ForwardingClaims {
  constructor(
    private readonly owner: string,
    private readonly dir = DEFAULT_DIR,
  ) {}

  claim(): void {
    mkdirSync(this.dir, { recursive: true });
    if (this.liveOthers().length === 0 && !existsSync(join(this.dir, ORIGINAL))) {
      writeFileSync(join(this.dir, ORIGINAL), readFileSync(SYSCTL, 'utf8'));
    }
    writeFileSync(join(this.dir, this.owner), `${process.pid}\n`);
    if (readFileSync(SYSCTL, 'utf8').trim() !== '1') writeFileSync(SYSCTL, '1\n');
  }

  /** Drops this engine's claim; restores the original value when nobody else holds one. */
  release(): void {
    if (!existsSync(this.dir)) return;
    rmSync(join(this.dir, this.owner), { force: true });
    if (this.liveOthers().length > 0) return;
    const original = join(this.dir, ORIGINAL);
    if (existsSync(original)) {
      writeFileSync(SYSCTL, readFileSync(original, 'utf8'));
      rmSync(original);
    }
  }

  /** Claims of other engines still running (dead ones are removed on the way). */
  private liveOthers(): string[] {
    return readdirSync(this.dir).filter((name) => {
      if (name === ORIGINAL || name === this.owner) return false;
      const pid = Number(readFileSync(join(this.dir, name), 'utf8').trim());
      if (pid > 0 && isAlive(pid)) return true;
      rmSync(join(this.dir, name), { force: true });
      return false;
    });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
