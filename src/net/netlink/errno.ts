import koffi from 'koffi';

let names: Map<number, string> | undefined;

/** ENOENT for 2, ... (koffi knows the platform's table). */
export function errnoName(code: number): string {
  names ??= new Map(Object.entries(koffi.os.errno as Record<string, number>).map(([name, num]) => [num, name]));
  return names.get(code) ?? `errno ${code}`;
}
