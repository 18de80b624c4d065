import { Command, Option } from 'commander';
import { VERSION } from '../../version.js';
import type { CliIO } from '../io.js';

export function versionCommand(io: CliIO): Command {
  return new Command('version')
    .description('Show the tscompose version information')
    .addOption(new Option('-f, --format <format>', 'Format the output').choices(['pretty', 'json']).default('pretty'))
    .option('--short', 'Shows only the version number', false)
    .action((flags: { format: string; short: boolean }) => {
      if (flags.short) io.stdout(`${VERSION}\n`);
      else if (flags.format === 'json') io.stdout(JSON.stringify({ version: VERSION }) + '\n');
      else io.stdout(`tscompose version v${VERSION}\n`);
    });
}
