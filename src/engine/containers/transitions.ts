import { conflict } from '../api/http.js';
import type { ContainerStatus } from './record.js';

/** Which status may follow which (runc's explicit table): anything else is a bug or a race, reported as such. */
const ALLOWED: Record<ContainerStatus, readonly ContainerStatus[]> = {
  created: ['running', 'exited', 'removing'],
  running: ['paused', 'exited', 'restarting', 'removing'],
  paused: ['running', 'exited', 'removing'],
  restarting: ['running', 'exited', 'removing'],
  exited: ['running', 'restarting', 'removing'],
  removing: ['dead'],
  dead: ['removing'],
};

export function checkTransition(id: string, from: ContainerStatus, to: ContainerStatus): void {
  if (!ALLOWED[from].includes(to)) {
    throw conflict(`container ${id.slice(0, 12)}: invalid transition from ${from} to ${to}`);
  }
}
