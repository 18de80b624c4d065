/** `64m`, `1g`, `512k`, `1.5g`, plain bytes: Docker's RAMInBytes (binary units). Undefined when malformed. */
export function parseBytes(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?$/i.exec(value.trim());
  if (!m) return undefined;
  const power = ' kmgtp'.indexOf((m[2] || ' ').toLowerCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}

/** go-units HumanSizeWithPrecision: decimal units (`36B`, `1.5kB`); `docker images` uses 3 digits, HumanSize 4. */
export function humanSize(bytes: number, precision = 3): string {
  return scaled(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB', 'PB'], (v) => String(Number(v.toPrecision(precision))));
}

/** Docker's BytesSize (stats): binary units with two decimals (`1.5MiB`). */
export function binarySize(bytes: number): string {
  return scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], (v, i) => v.toFixed(i === 0 ? 0 : 2));
}

function scaled(bytes: number, base: number, units: string[], format: (value: number, unit: number) => string): string {
  let value = bytes;
  let i = 0;
  while (value >= base && i < units.length - 1) {
    value /= base;
    i++;
  }
  return `${format(value, i)}${units[i]}`;
}
