import type { ContainerRecord } from './record.js';

/** Docker's `filters` for /containers/json: label, name, id, status, ancestor (by reference or id). */
const MATCHERS: Record<string, (record: ContainerRecord, value: string) => boolean> = {
  label: (r, value) => {
    const [key, expected] = splitOnce(value, '=');
    const labels = r.config.Labels ?? {};
    return key in labels && (expected === undefined || labels[key] === expected);
  },
  name: (r, value) => r.name.includes(value.replace(/^\//, '')),
  id: (r, value) => r.id.startsWith(value),
  status: (r, value) => r.state.status === value,
  ancestor: (r, value) => r.imageRef === value || r.imageId === value || r.imageId.startsWith(`sha256:${value}`),
  exited: (r, value) => r.state.status === 'exited' && String(r.state.exitCode) === value,
};

/** A record passes when, for each filter key, it matches at least one of its values (Docker's semantics). */
export function filterContainers(records: ContainerRecord[], filters: Map<string, string[]>): ContainerRecord[] {
  return records.filter((r) =>
    [...filters].every(([key, values]) => {
      const match = MATCHERS[key];
      return match ? values.some((v) => match(r, v)) : true;
    }),
  );
}

function splitOnce(value: string, sep: string): [string, string | undefined] {
  const at = value.indexOf(sep);
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}
