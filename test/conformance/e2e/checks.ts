import { existsSync, readFileSync } from 'node:fs';
import type { ContainerSummary } from '../../../src/engine/client/engine-api.js';
import { Unsupported } from './scenario.js';

const PROJECT = 'com.docker.compose.project';
const SERVICE = 'com.docker.compose.service';
const ONEOFF = 'com.docker.compose.oneoff';
const NUMBER = 'com.docker.compose.container-number';

/** What a check sees: the step's last command and the project's containers before and after the step. */
export interface CheckInput {
  stdout: string;
  stderr: string;
  exitCode: number;
  before: ContainerSummary[];
  after: ContainerSummary[];
  health: (id: string) => Promise<string | undefined>;
  imageExists: (ref: string) => Promise<boolean>;
}

type CheckFn = (input: CheckInput, args: string[]) => Promise<string | undefined> | string | undefined;

const of = (list: ContainerSummary[], service: string, oneoff = false): ContainerSummary[] =>
  list.filter((c) => c.Labels[SERVICE] === service && (c.Labels[ONEOFF] === 'True') === oneoff);
const ids = (list: ContainerSummary[]): string => list.map((c) => c.Id).sort().join(',');
const fail = (ok: boolean, why: string): string | undefined => (ok ? undefined : why);
const excerpt = (i: CheckInput): string => ` [output: ${JSON.stringify((i.stdout + i.stderr).slice(0, 300))}]`;

/** Each check returns undefined when it holds, else why not. */
export const CHECKS: Record<string, CheckFn> = {
  OutputContains: (i, [text = '']) => fail((i.stdout + i.stderr).includes(text), `output lacks ${JSON.stringify(text)}${excerpt(i)}`),
  StdoutContains: (i, [text = '']) => fail(i.stdout.includes(text), `stdout lacks ${JSON.stringify(text)}${excerpt(i)}`),
  StderrContains: (i, [text = '']) => fail(i.stderr.includes(text), `stderr lacks ${JSON.stringify(text)}`),
  OutputNotContains: (i, [text = '']) => fail(!(i.stdout + i.stderr).includes(text), `output contains ${JSON.stringify(text)}`),
  OutputMatches: (i, [pattern = '']) => fail(goRegex(pattern).test(i.stdout + i.stderr), `output does not match /${pattern}/`),
  ExitCode: (i, [code = '0']) => fail(i.exitCode === Number(code), `exit code ${i.exitCode}, want ${code}`),
  ServiceState: (i, [service = '', state = '']) => {
    const states = of(i.after, service).map((c) => c.State);
    return fail(states.length > 0 && states.every((s) => s === state), `${service}: states [${states}] want ${state}`);
  },
  ServiceNotCreated: (i, [service = '']) => fail(of(i.after, service).length === 0, `${service} has containers`),
  ServiceScale: (i, [service = '', n = '0']) => fail(of(i.after, service).length === Number(n), `${service}: ${of(i.after, service).length} containers, want ${n}`),
  ReplicaNumbers: (i, [service = '', ...numbers]) => {
    const got = of(i.after, service).map((c) => Number(c.Labels[NUMBER])).sort().join(',');
    return fail(got === numbers.map(Number).sort().join(','), `${service}: replicas ${got}, want ${numbers}`);
  },
  NotRecreated: (i, [service = '']) => fail(ids(of(i.before, service)) === ids(of(i.after, service)) && of(i.after, service).length > 0, `${service} was recreated`),
  Recreated: (i, [service = '']) => fail(of(i.after, service).length > 0 && ids(of(i.before, service)) !== ids(of(i.after, service)), `${service} was not recreated`),
  OneOffState: (i, [service = '', state = '']) => {
    const states = of(i.after, service, true).map((c) => c.State);
    return fail(states.length > 0 && states.every((s) => s === state), `${service} one-offs: [${states}] want ${state}`);
  },
  OneOffsUntouched: (i, [service = '']) => fail(ids(of(i.before, service, true)) === ids(of(i.after, service, true)), `${service} one-offs changed`),
  OneOffsRemoved: (i, [service = '']) => fail(of(i.after, service, true).length === 0, `${service} one-offs remain`),
  LabelUnchanged: (i, [service = '', label = '']) => fail(of(i.before, service)[0]?.Labels[label] === of(i.after, service)[0]?.Labels[label], `${service}: label ${label} changed`),
  LabelSet: (i, [service = '', label = '']) => fail(Boolean(of(i.after, service)[0]?.Labels[label]), `${service}: label ${label} not set`),
  LabelsDistinct: (i, [label = '', ...services]) => {
    const values = services.map((s) => of(i.after, s)[0]?.Labels[label]);
    return fail(new Set(values).size === values.length && values.every(Boolean), `label ${label} not distinct: ${values}`);
  },
  ServiceHealthy: async (i, [service = '']) => {
    const states = await Promise.all(of(i.after, service).map((c) => i.health(c.Id)));
    return fail(states.length > 0 && states.every((s) => s === 'healthy'), `${service}: health [${states}]`);
  },
  ImageExists: async (i, [ref = '']) => fail(await i.imageExists(ref), `image ${ref} missing`),
  FileExists: (_i, [path = '']) => fail(existsSync(path), `${path} missing`),
  FileContains: (_i, [path = '', text = '']) => fail(existsSync(path) && readFileSync(path, 'utf8').includes(text), `${path} lacks ${JSON.stringify(text)}`),
  RunsOnPlatform: () => {
    throw new Unsupported('cross-platform images: only linux/amd64 runs here');
  },
};

/** Go's `(?m:...)` inline groups have no JS form: approximated by a multi-line match of the whole pattern. */
function goRegex(pattern: string): RegExp {
  return new RegExp(pattern.replace(/\(\?m:\.\*\)/g, '[\\s\\S]*').replace(/\(\?[a-z]+:/g, '(?:'), 'm');
}

export { PROJECT };
