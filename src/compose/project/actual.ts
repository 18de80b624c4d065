import type { ContainerSummary, EngineApi } from '../../engine/client/engine-api.js';
import { LABEL } from './labels.js';
import { compareText } from '../../util/compare-text.js';

/** A container of the project as the engine lists it. */
export interface ActualContainer {
  id: string;
  name: string;
  service: string;
  number: number;
  oneoff: boolean;
  state: string; // created | running | paused | restarting | exited | dead
  status: string;
  hash: string;
  labels: Record<string, string>;
  image: string;
  /** The engine's list entry, for what the fields above leave out (ports, mounts, networks). */
  summary: ContainerSummary;
}

/** Every container labelled with the project (one-off `run` containers included), found by label as Compose does. */
export async function actualContainers(engine: EngineApi, project: string): Promise<ActualContainer[]> {
  const list = await engine.listContainers({ all: true, filters: { label: [`${LABEL.project}=${project}`] } });
  return list.map(toActual).sort((a, b) => compareText(a.service, b.service) || a.number - b.number);
}

function toActual(c: ContainerSummary): ActualContainer {
  return {
    id: c.Id,
    name: c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12),
    service: c.Labels[LABEL.service] ?? '',
    number: Number(c.Labels[LABEL.number] ?? 0),
    oneoff: (c.Labels[LABEL.oneoff] ?? 'False') === 'True',
    state: c.State,
    status: c.Status,
    hash: c.Labels[LABEL.configHash] ?? '',
    labels: c.Labels,
    image: c.Image,
    summary: c,
  };
}
