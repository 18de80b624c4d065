import { stringify } from 'yaml';

/** YAML as docker compose prints it: 2-space indent, no line folding, multi-line strings as literal blocks. */
export function toComposeYaml(data: unknown): string {
  return stringify(data, { lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
}
