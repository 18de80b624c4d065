/**
 * iptables rules of one engine, in chains of its own (`TSC-FWD-<tag>` jumped to from FORWARD, `TSC-NAT-<tag>` from
 * nat POSTROUTING), so that removing the last network removes every rule and both chains and leaves the host's
 * firewall as it was. Per bridge: traffic between its ports is accepted even under `FORWARD DROP` (br_netfilter
 * sends bridged frames through FORWARD), traffic to and from our other bridges is dropped (isolation), and either
 * outbound traffic is accepted and masqueraded, or (internal) everything leaving or entering the bridge is dropped.
 * iptables runs as an async child process (`-w`: waits for the xtables lock), only when networks come and go.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { InternalError } from '../errors.js';

/** Every bridge of every engine is named with this prefix (isolation rules match them all). */
export const BRIDGE_PREFIX = 'tscbr';

export interface BridgeRules {
  bridge: string;
  subnet: string;
  internal: boolean;
}

export class FirewallError extends InternalError {}

export class Firewall {
  readonly forwardChain: string;
  readonly natChain: string;
  private readonly bridges = new Map<string, BridgeRules>();
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `tag`: what makes this engine's chain names unique on the host (max 20 chars). `marker`: a file that exists while
   * the chains may exist, so that an engine start after a clean stop spawns no iptables at all.
   */
  constructor(tag: string, private readonly marker: string) {
    this.forwardChain = `TSC-FWD-${tag}`;
    this.natChain = `TSC-NAT-${tag}`;
  }

  /** Adds a bridge's rules (creating the chains and jumps first if it is the first one). */
  addBridge(rules: BridgeRules): Promise<void> {
    return this.serial(async () => {
      if (this.bridges.has(rules.bridge)) return;
      if (this.bridges.size === 0) {
        writeFileSync(this.marker, `${this.forwardChain} ${this.natChain}\n`);
        await iptablesRestore(this.chainSetup());
      }
      await iptablesRestore(this.bridgeRules(rules, '-A'));
      this.bridges.set(rules.bridge, rules);
    });
  }

  /** Removes a bridge's rules; the chains and jumps go with the last one. */
  removeBridge(bridge: string): Promise<void> {
    return this.serial(async () => {
      const rules = this.bridges.get(bridge);
      if (!rules) return;
      this.bridges.delete(bridge);
      if (this.bridges.size === 0) return this.teardown();
      await iptablesRestore(this.bridgeRules(rules, '-D'));
    });
  }

  /** Whatever this engine's chains hold, gone (engine start after a crash, engine stop). Never fails. */
  removeAll(): Promise<void> {
    return this.serial(async () => {
      this.bridges.clear();
      await this.teardown();
    });
  }

  private async teardown(): Promise<void> {
    if (!existsSync(this.marker)) return;
    for (const [table, parent, chain] of [['filter', 'FORWARD', this.forwardChain], ['nat', 'POSTROUTING', this.natChain]] as const) {
      // a crash between two steps can leave several jumps: remove until there is none
      for (let i = 0; i < 8 && (await iptables(['-t', table, '-D', parent, '-j', chain])).code === 0; i++);
      await iptables(['-t', table, '-F', chain]);
      await iptables(['-t', table, '-X', chain]);
    }
    rmSync(this.marker, { force: true });
  }

  private chainSetup(): string {
    return [
      '*filter', `:${this.forwardChain} - [0:0]`, `-I FORWARD 1 -j ${this.forwardChain}`, 'COMMIT',
      '*nat', `:${this.natChain} - [0:0]`, `-I POSTROUTING 1 -j ${this.natChain}`, 'COMMIT', '',
    ].join('\n');
  }

  /** The rules of one bridge, to append (-A) or delete (-D): the same lines both ways. */
  private bridgeRules(r: BridgeRules, op: '-A' | '-D'): string {
    const f = `${op} ${this.forwardChain}`;
    const any = `${BRIDGE_PREFIX}+`;
    const filter = [
      `${f} -i ${r.bridge} -o ${r.bridge} -j ACCEPT`,
      `${f} -i ${r.bridge} -o ${any} -j DROP`,
      `${f} -i ${any} -o ${r.bridge} -j DROP`,
      ...(r.internal
        ? [`${f} -i ${r.bridge} -j DROP`, `${f} -o ${r.bridge} -j DROP`]
        : [`${f} -i ${r.bridge} -j ACCEPT`, `${f} -o ${r.bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`]),
    ];
    const nat = r.internal ? [] : [`${op} ${this.natChain} -s ${r.subnet} ! -o ${r.bridge} -j MASQUERADE`];
    return ['*filter', ...filter, 'COMMIT', '*nat', ...nat, 'COMMIT', ''].join('\n');
  }

  /** One change at a time: rule sets depend on what the previous change left. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

interface Outcome {
  code: number;
  stderr: string;
}

function run(command: string, args: string[], input?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (e: NodeJS.ErrnoException) => reject(new FirewallError(`${command}: ${e.code === 'ENOENT' ? 'not installed (apt-get install iptables)' : e.message}`)));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr: stderr.trim() }));
    // a command that fails early may close its stdin first: its exit status tells what happened, not EPIPE
    child.stdin?.on('error', () => undefined).end(input);
  });
}

/** `iptables -w ...`; the outcome is returned (teardown tolerates missing rules). */
function iptables(args: string[]): Promise<Outcome> {
  return run('iptables', ['-w', ...args]);
}

/** Applies a rule set atomically per table (`--noflush`: the rest of the host's rules stay). */
async function iptablesRestore(rules: string): Promise<void> {
  const outcome = await run('iptables-restore', ['-w', '--noflush'], rules);
  if (outcome.code !== 0) throw new FirewallError(`iptables-restore failed: ${outcome.stderr}\n${rules}`);
}
