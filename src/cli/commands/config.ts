import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { globalFlags, loadOptions } from '../global-options.js';
import type { CliIO } from '../io.js';

export interface ConfigFlags {
  format?: 'yaml' | 'json';
  output?: string;
  quiet: boolean;
  services: boolean;
  volumes: boolean;
  networks: boolean;
  profiles: boolean;
  images: boolean;
  models: boolean;
  hash?: string;
  interpolate: boolean;
  pathResolution: boolean;
  consistency: boolean;
  variables: boolean;
  environment: boolean;
}

export function configCommand(io: CliIO): Command {
  return new Command('config')
    .description('Parse, resolve and render compose file in canonical format')
    .argument('[services...]', 'services to render')
    .addOption(new Option('--format <format>', 'Format the output (default yaml; a table for --variables)').choices(['yaml', 'json']))
    .option('-o, --output <file>', 'Save to file (default to stdout)')
    .option('-q, --quiet', "Only validate the configuration, don't print anything", false)
    .option('--services', 'Print the service names, one per line', false)
    .option('--volumes', 'Print the volume names, one per line', false)
    .option('--networks', 'Print the network names, one per line', false)
    .option('--profiles', 'Print the profile names, one per line', false)
    .option('--images', 'Print the image names, one per line', false)
    .option('--models', 'Print the model names, one per line', false)
    .option('--hash <services>', 'Print the service config hash, one per line ("*" for all)')
    .option('--no-interpolate', "Don't interpolate environment variables")
    .option('--no-path-resolution', "Don't resolve file paths")
    .option('--no-consistency', "Don't check model consistency (unknown dependencies)")
    .option('--variables', 'Print model variables and default values', false)
    .option('--environment', 'Print environment used for interpolation', false)
    .action(async (services: string[], flags: ConfigFlags, command: Command) => {
      // Loaded on use: the loader (zod, yaml) is most of the CLI's start-up time.
      const [{ loadProject }, { renderConfigOutput }] = await Promise.all([
        import('../../compose/loader.js'),
        import('./config-output.js'),
      ]);
      const options = loadOptions(globalFlags(command), io, {
        services,
        interpolate: flags.interpolate && !flags.variables,
        resolvePaths: flags.pathResolution,
        checkConsistency: flags.consistency,
      });
      if (!flags.interpolate && services.length > 0) options.warn('service filtering is not applied when --no-interpolate is set');
      if (flags.variables && services.length > 0) options.warn('service filtering is not applied when --variables is set');
      const project = loadProject(!flags.interpolate ? { ...options, services: [] } : options);
      if (flags.quiet) return;
      const text = renderConfigOutput(project, flags, flags.interpolate ? services : []);
      if (flags.output) writeFileSync(flags.output, text);
      else io.stdout(text);
    });
}
