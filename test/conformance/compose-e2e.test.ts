/**
 * docker/compose's end-to-end scenarios (peer fixtures), run against tscompose and a real engine (root).
 * Public images they name (alpine, bash, nginx, busybox...) are the local busybox image under those names: no registry
 * outside this machine is reachable. Prints `compose-e2e: N passed, M failed, K skipped` (each skip with its reason).
 */
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { ContainerSummary } from '../../src/engine/client/engine-api.js';
import { SuiteCounter } from '../helpers/conformance.js';
import { startTestEngine, TEST_IMAGE, type TestEngine } from '../helpers/engine.js';
import { nginxStandInTarball } from './e2e/stand-ins.js';
import { PEER_FIXTURES, CLI_ENTRY } from '../helpers/paths.js';
import { requiresRoot } from '../helpers/root-guard.js';
import { CHECKS, PROJECT, type CheckInput } from './e2e/checks.js';
import { dockerToTscompose } from './e2e/docker-commands.js';
import { evaluateArg, Unsupported, type Scenario, type Step } from './e2e/scenario.js';

const SCENARIOS = join(PEER_FIXTURES, 'compose/_extracted/e2e-scenarios.json');
const COMMAND_TIMEOUT_MS = Number(process.env.TSCOMPOSE_E2E_TIMEOUT ?? 30_000);
const ONLY = process.env.TSCOMPOSE_E2E_ONLY; // a regex of test names, to run a few while working on them
const PUBLIC_IMAGES = /^(alpine|bash|nginx|busybox|hello-world|ubuntu|debian)(:[\w.-]+)?$/;

test('docker/compose e2e scenarios', { skip: requiresRoot('root (real containers)') }, async () => {
  const counter = new SuiteCounter('compose-e2e');
  const engine = await startTestEngine('e2e');
  try {
    const scenarios = (JSON.parse(readFileSync(SCENARIOS, 'utf8')) as Scenario[]).filter((s) => !ONLY || new RegExp(ONLY).test(s.test));
    for (const scenario of scenarios) {
      const outcome = await runScenario(engine, scenario);
      if (outcome.kind === 'pass') counter.pass();
      else if (outcome.kind === 'skip') counter.skip(scenario.test, outcome.why);
      else counter.fail(scenario.test, outcome.why);
    }
  } finally {
    const leftovers = await engine.stop();
    assert.deepEqual(leftovers, []);
  }
  for (const skip of counter.skips) console.log(`  skipped ${skip}`);
  counter.report();
});

type Outcome = { kind: 'pass' } | { kind: 'fail' | 'skip'; why: string };

async function runScenario(engine: TestEngine, scenario: Scenario): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-e2e-'));
  const project = `e2e-${scenario.test.replace(/^Test/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 40);
  try {
    cpSync(join(PEER_FIXTURES, 'compose', scenario.testdata), dir, { recursive: true });
    tagPublicImages(engine, dir);
    for (const step of scenario.steps) {
      const why = await runStep(engine, step, { dir, project });
      if (why) return { kind: 'fail', why: `${step.step}: ${why}` };
    }
    return { kind: 'pass' };
  } catch (e) {
    if (e instanceof Unsupported) return { kind: 'skip', why: e.message };
    return { kind: 'fail', why: (e as Error).message };
  } finally {
    runCli(engine, ['-p', project, 'down', '-v', '--remove-orphans', '-t', '0'], dir);
    for (const c of await projectContainers(engine, project)) await engine.api.removeContainer(c.Id, { force: true, volumes: true }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runStep(engine: TestEngine, step: Step, scope: { dir: string; project: string }): Promise<string | undefined> {
  if (step.commands.length === 0 && step.checks.some((c) => /Output|Stdout|Stderr|ExitCode/.test(c.check))) {
    throw new Unsupported('the Go test reads this output from a command the scenario data does not carry');
  }
  const before = await projectContainers(engine, scope.project);
  let last = { code: 0, stdout: '', stderr: '' };
  for (const command of step.commands) {
    const args = command.args.map((a) => evaluateArg(a, scope));
    last = command.kind === 'compose' ? runCli(engine, ['-p', scope.project, ...args], scope.dir) : runCli(engine, dockerToTscompose(args), scope.dir);
    const refused = /registry (\S+) is not allowed here/.exec(last.stderr + last.stdout);
    if (refused) throw new Unsupported(`pulls or pushes images at ${refused[1]}: no registry outside this machine may be contacted`);
  }
  for (const check of step.checks) {
    const fn = CHECKS[check.check];
    if (!fn) throw new Unsupported(`check ${check.check}`);
    const args = check.args.map((a) => evaluateArg(String(a), scope));
    let why: string | undefined;
    for (let attempt = 0; attempt < (check.eventually ? 50 : 1); attempt++) {
      const input: CheckInput = {
        stdout: last.stdout,
        stderr: last.stderr,
        exitCode: last.code,
        before,
        after: await projectContainers(engine, scope.project),
        health: async (id) => ((await engine.api.inspectContainer(id)).State as { Health?: { Status: string } }).Health?.Status,
        imageExists: async (ref) => engine.api.inspectImage(ref).then(() => true, () => false),
      };
      why = await fn(input, args);
      if (!why) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (why) {
      const unset = /The "(\w+)" variable is not set/.exec(last.stderr);
      if (unset) throw new Unsupported(`the Go test sets ${unset[1]} in the environment, which the scenario data does not carry`);
      return `${check.check}(${args.join(', ')}): ${why}`;
    }
  }
  return undefined;
}

function runCli(engine: TestEngine, args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI_ENTRY, ...args], { cwd, env: { ...engine.env, COMPOSE_PROGRESS: 'plain' }, encoding: 'utf8', input: '', timeout: COMMAND_TIMEOUT_MS, killSignal: 'SIGINT' });
  return { code: r.status ?? (r.signal ? 130 : -1), stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

async function projectContainers(engine: TestEngine, project: string): Promise<ContainerSummary[]> {
  return engine.api.listContainers({ all: true, filters: { label: [`${PROJECT}=${project}`] } });
}

/** The public images a scenario's files name, as local busybox (tag once per name). */
function tagPublicImages(engine: TestEngine, dir: string): void {
  const names = new Set<string>();
  for (const file of filesBelow(dir)) {
    // `image:` in compose files, `FROM` in Dockerfiles and dockerfile_inline, `source:` of `type: image` volumes
    // (whole keys only: `with_image:` is a service name, not an image)
    for (const m of readFileSync(file, 'utf8').matchAll(/(?<![\w.-])(?:image:|source:|FROM)\s*["']?([^\s"'#]+)/g)) if (PUBLIC_IMAGES.test(m[1]!)) names.add(m[1]!);
  }
  for (const name of names) {
    const ref = name.includes(':') ? name : `${name}:latest`;
    // nginx's stand-in serves HTTP on port 80 as nginx does; the others are busybox with a shell
    if (ref.startsWith('nginx')) engine.cli(['image', 'import', nginxStandInTarball(), ref, '--change', 'CMD ["httpd", "-f", "-p", "80", "-h", "/usr/share/nginx/html"]', '--change', 'EXPOSE 80']);
    else engine.cli(['image', 'tag', TEST_IMAGE, ref]);
  }
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesBelow(p) : /\.ya?ml$|\.env|[Dd]ockerfile/.test(n) ? [p] : [];
  });
}
