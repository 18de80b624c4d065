/**
 * `--format` for volumes: `table` (default), `json` (one object per line, as the docker CLI prints), or a Go template
 * over the row's fields (`{{.Name}}\t{{.Driver}}`, `table {{.Name}}\t{{.Labels}}`, `{{json .}}`).
 */
import type { VolumeView } from '../../../engine/client/volume-api.js';
import { executeGoTemplate, formatRows } from '../../format/go-template.js';
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
  return formatRows(format, volumes.map(volumeRow), { headers: LS_HEADERS });
}

/** Column titles of `ls --format 'table {{.Field}}...'`, as docker prints them. */
const LS_HEADERS: Record<string, string> = {
  Availability: 'AVAILABILITY',
  Driver: 'DRIVER',
  Group: 'GROUP',
  Labels: 'LABELS',
  Links: 'LINKS',
  Mountpoint: 'MOUNTPOINT',
  Name: 'VOLUME NAME',
  Scope: 'SCOPE',
  Size: 'SIZE',
  Status: 'STATUS',
};

/** One object through a Go template (`\t` and `\n` as docker's ls templates take them). */
export function applyTemplate(template: string, data: object): string {
  return executeGoTemplate(template, data, { escapes: true });
}
