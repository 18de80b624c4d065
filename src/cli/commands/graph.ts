import { Command, Option } from 'commander';
import { globalFlags, loadOptions } from '../global-options.js';
import type { CliIO } from '../io.js';

const GRAPH_FORMATS = ['text', 'dot', 'mermaid'] as const;

export function graphCommand(io: CliIO): Command {
  return new Command('graph')
    .description('Draw the services, their dependency conditions and start levels')
    .addOption(new Option('--format <format>', 'Output format').choices([...GRAPH_FORMATS]).default('text'))
    .action(async (flags: { format: (typeof GRAPH_FORMATS)[number] }, command: Command) => {
      const [{ loadProject }, { buildServiceGraph, renderGraph }, { isDict }] = await Promise.all([
        import('../../compose/loader.js'),
        import('../../graph/index.js'),
        import('../../compose/types.js'),
      ]);
      const project = loadProject(loadOptions(globalFlags(command), io));
      const services = isDict(project.model.services) ? project.model.services : {};
      io.stdout(renderGraph(buildServiceGraph(services as Parameters<typeof buildServiceGraph>[0]), flags.format));
    });
}
