import { constants } from 'node:os';

let names: Map<number, string> | undefined;

/** ENOENT for 2, ... (Node's table of the platform's errno values). */
export function errnoName(code: number): string {
  names ??= new Map(Object.entries(constants.errno as Record<string, number>).map(([name, num]) => [num, name]));
  return names.get(code) ?? `errno ${code}`;
}
