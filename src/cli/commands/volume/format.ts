/**
 * `--format` for volumes: `table` (default), `json` (one object per line, as the docker CLI prints), or a Go-style
 * template using `{{.Field}}` placeholders (`{{.Name}}\t{{.Driver}}`); `{{json .}}` prints the whole row.
 */
import { UserError } from '../../../errors.js';
import type { VolumeView } from '../../../engine/client/volume-api.js';
import { renderTable } from '../../table.js';

/** The row the docker CLI formats for `volume ls` (its field names). */
export function volumeRow(v: VolumeView): Record<string, string> {
  return {
    Availability: 'N/A',
    Driver: v.Driver,
    Group: 'N/A',
    Labels: Object.entries(v.Labels ?? {}).map(([k, val]) => `${k}=${val}`).join(','),
    Links: 'N/A',
    Mountpoint: v.Mountpoint,
    Name: v.Name,
    Scope: v.Scope,
    Size: 'N/A',
    Status: 'N/A',
  };
}

export function formatVolumes(volumes: VolumeView[], format: string | undefined): string {
  if (!format || format === 'table') return renderTable(['DRIVER', 'VOLUME NAME'], volumes.map((v) => [v.Driver, v.Name]));
  if (format === 'json') return volumes.map((v) => JSON.stringify(volumeRow(v)) + '\n').join('');
  return volumes.map((v) => applyTemplate(format, volumeRow(v) as Record<string, unknown>, v) + '\n').join('');
}

/** `{{.Field}}`, `{{json .}}`, `{{json .Field}}`; `\t` and `\n` as docker's templates take them. */
export function applyTemplate(template: string, row: Record<string, unknown>, whole: unknown = row): string {
  const text = template.replace(/^table\s+/, '').replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  return text.replace(/\{\{\s*(json\s+)?\.([A-Za-z]*)\s*\}\}/g, (_m, json: string | undefined, field: string) => {
    const value = field === '' ? whole : field in row ? row[field] : unknownField(field);
    if (json) return JSON.stringify(value);
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
  });
}

function unknownField(field: string): never {
  throw new UserError(`template: can't evaluate field ${field}`);
}
