/** One line of `up`/`down` progress: a resource and what happens to it (docker compose's words). */
export interface ProgressEvent {
  kind: 'Network' | 'Volume' | 'Container' | 'Image' | 'Service';
  name: string;
  status: string; // Creating, Created, Starting, Started, Waiting, Healthy, Exited, Stopping, Stopped, Removing, Removed, Recreate, Recreated, Running, Error
  detail?: string; // e.g. "ports changed"
  done?: boolean; // the last event of this resource in this operation
  error?: boolean;
}

export type ProgressSink = (event: ProgressEvent) => void;

/** `--progress plain` (and whenever output is not a terminal): one line per event, as docker compose prints them. */
export function plainProgress(write: (text: string) => void): ProgressSink {
  return (e) => write(` ${e.kind} ${e.name} ${e.status}${e.detail ? ` (${e.detail})` : ''}\n`);
}

/** `--progress json`: one JSON object per event. */
export function jsonProgress(write: (text: string) => void): ProgressSink {
  return (e) => write(JSON.stringify({ id: `${e.kind} ${e.name}`, status: e.status, ...(e.detail ? { text: e.detail } : {}), ...(e.error ? { error: true } : {}) }) + '\n');
}

export const quietProgress: ProgressSink = () => undefined;
