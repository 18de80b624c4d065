import { humanSize } from '../../util/units.js';
/**
 * Progress of pulls and pushes as Docker's JSON messages (the lines `/images/create` and `/images/{name}/push`
 * stream): `{"status":"Downloading","progressDetail":{"current":…,"total":…},"progress":"[==>  ] …","id":"<layer>"}`.
 */

export interface JsonMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  stream?: string;
  aux?: Record<string, unknown>;
  error?: string;
  errorDetail?: { message: string; code?: number };
}

export type ProgressSink = (message: JsonMessage) => void;

/** Layers are named by the first 12 hex digits of their digest, as Docker shows them. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}


/** "[=========>          ]  12.5MB/25MB" */
export function progressBar(current: number, total: number | undefined, width = 50): string {
  if (!total || total <= 0) return humanSize(current);
  const filled = Math.min(width, Math.floor((current / total) * width));
  const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (filled === width ? '=' : '>') : '') + ' '.repeat(width - filled);
  return `[${bar}] ${humanSize(current).padStart(8)}/${humanSize(total)}`;
}

/** Reports byte counts of one layer at most every `intervalMs` (a message per network chunk would flood the stream). */
export class ByteProgress {
  private last = 0;
  constructor(
    private readonly sink: ProgressSink,
    private readonly id: string,
    private readonly status: string,
    private readonly total: number,
    private readonly intervalMs = 100,
  ) {}

  update(current: number): void {
    const now = Date.now();
    if (now - this.last < this.intervalMs && current < this.total) return;
    this.last = now;
    this.sink({ status: this.status, id: this.id, progressDetail: { current, total: this.total }, progress: progressBar(current, this.total) });
  }
}
