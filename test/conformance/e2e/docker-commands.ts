import { Unsupported } from './scenario.js';

/**
 * The `docker` commands the scenarios run, as tscompose commands: the same engine objects through our CLI.
 * Registry pulls have no equivalent here; `inspect -f`/`--format` Go templates go through as they are.
 */
export function dockerToTscompose(args: string[]): string[] {
  const [verb, ...rest] = args;
  const rule = DOCKER_RULES[verb ?? ''];
  if (!rule) throw new Unsupported(`docker ${verb} has no tscompose equivalent in this runner`);
  return rule(rest);
}

const DOCKER_RULES: Record<string, (rest: string[]) => string[]> = {
  rm: (rest) => ['container', 'rm', ...rest],
  ps: (rest) => ['container', 'ls', ...rest],
  exec: (rest) => ['container', 'exec', ...rest],
  tag: (rest) => ['image', 'tag', ...rest],
  rmi: (rest) => ['image', 'rm', ...rest],
  image: ([sub = '', ...rest]) => ['image', sub, ...rest],
  volume: ([sub = '', ...rest]) => ['volume', sub, ...rest],
  network: ([sub = '', ...rest]) => ['network', sub, ...rest],
  inspect: (rest) => ['container', 'inspect', ...rest],
  pull: () => {
    throw new Unsupported('docker pull from Docker Hub: no registry outside this machine is reachable');
  },
};
