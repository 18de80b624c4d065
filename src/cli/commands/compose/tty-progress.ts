import { color, DefaultRenderer, figures, Listr, ListrLogger, ListrTaskState, ProcessOutput, Spinner, type ListrTask, type ListrTaskObject } from 'listr2';
import type { ProgressEvent, ProgressSink } from '../../../compose/project/progress.js';

interface Row {
  kind: ProgressEvent['kind'];
  name: string;
  status: string;
  detail?: string | undefined;
  failed: boolean;
  started: number;
  ended?: number | undefined; // set while the last event said done (or error)
  task?: Pick<ListrTaskObject<object>, 'state' | 'title' | 'title$' | 'state$'>;
}

/**
 * docker compose's live view in a terminal, drawn by listr2's DefaultRenderer: one task per resource
 * (`Container app-web-1  Started  0.4s`), a spinner while it works, ✔ or ✖ when its events say done or failed.
 *
 * Why it is built this way:
 * - Our events are pushed while a Listr runs only the tasks it had when run() began. New resources therefore come in
 *   through a "spawner": a task without a title (listr2 draws nothing for it and shows its subtasks in its place) that
 *   waits for the next resources and returns them as subtasks, followed by the next spawner.
 * - A resource can go back to work after it was done (`Started`, then `Waiting` as a dependency, then `Healthy`), so a
 *   row's state follows the events (`task.state$`), and every task's promise resolves only in finish().
 * - listr2 shows a task a few microtasks after it exists, and callers print, or exit, right after finish(). So finish()
 *   ends the live view (listr2 clears it, shows the cursor and passes on what else was written to `out` meanwhile) and
 *   prints the final list itself, synchronously and complete.
 * - The caller has already decided that `out` is a terminal: the renderer says it works anywhere (listr2 would look at
 *   process.stdout and fall back to its line renderer) and writes through a ProcessOutput on `out`.
 */
export function ttyProgress(out: NodeJS.WriteStream): { sink: ProgressSink; finish: () => void } {
  const rows = new Map<string, Row>();
  let queued: Row[] = []; // rows no spawner has taken yet
  let wake: (() => void) | undefined; // the spawner waiting for rows
  let closeTasks!: () => void;
  const closed = new Promise<void>((resolve) => (closeTasks = resolve));
  let finished = false;
  let live = false; // the renderer draws (between its start and its end)
  let renderer: Renderer | undefined;

  const title = (row: Row, now = Date.now()): string => {
    const left = `${row.kind} ${row.name}  ${row.status}${row.detail ? ` (${row.detail})` : ''}`;
    const time = `${(((row.ended ?? now) - row.started) / 1000).toFixed(1)}s`;
    // the time right-aligned as docker compose does, short of where listr2 (process.stdout's width - 2) or the terminal
    // would wrap the row: its icon and a space before it, and some icons (◼) count as two columns
    const width = Math.min(out.columns || 80, process.stdout.columns || 80) - 5;
    return `${left.length + 1 + time.length <= width ? left.padEnd(width - time.length) : `${left} `}${color.dim(time)}`;
  };
  const show = (row: Row): void => {
    if (!row.task) return;
    row.task.title$ = title(row);
    const state = row.ended === undefined ? ListrTaskState.STARTED : row.failed ? ListrTaskState.FAILED : ListrTaskState.COMPLETED;
    if (row.task.state !== state) row.task.state$ = state;
  };

  class Output extends ProcessOutput {
    override hijack(): void {
      if (finished) return; // finish() came first: nothing is drawn
      super.hijack();
      live = true;
    }
  }
  /** listr2's spinner on a timer that does not keep the process alive; each frame also moves the running rows' clocks. */
  class Ticker extends Spinner {
    private timer: NodeJS.Timeout | undefined;
    override start(update?: () => void, interval = 100): void {
      if (finished) return;
      this.timer = setInterval(() => {
        this.spin();
        for (const row of rows.values()) if (row.task && row.ended === undefined) row.task.title = title(row); // quietly: one redraw below
        update?.();
      }, interval).unref();
    }
    override stop(): void {
      clearInterval(this.timer);
    }
  }
  class Renderer extends DefaultRenderer {
    static override nonTTY = true;
    constructor(...args: ConstructorParameters<typeof DefaultRenderer>) {
      super(...args);
      renderer = this;
    }
    override update(): void {
      if (live) super.update();
    }
    override end(): void {
      if (!live) return;
      live = false;
      super.end();
    }
  }

  const rowTask = (row: Row): ListrTask<object, typeof Renderer> => ({
    title: title(row),
    rendererOptions: { outputBar: false }, // no output shown, and no output buffer for listr2 to re-create every frame
    task: (_ctx, task) => {
      row.task = task.task;
      show(row);
      return closed;
    },
  });
  const spawner = (): ListrTask<object, typeof Renderer> => ({
    task: async (_ctx, task) => {
      while (!queued.length && !finished) await new Promise<void>((resolve) => (wake = resolve));
      const batch = queued;
      queued = [];
      if (finished) return;
      return task.newListr([...batch.map(rowTask), spawner()], { concurrent: true, exitOnError: false });
    },
  });
  const start = (): void => {
    const logger = new ListrLogger({ useIcons: true, processOutput: new Output(out, out) });
    // clearOutput: finish() prints the final list; a failed row keeps its title, which carries the error's detail
    const rendererOptions = { logger, spinner: new Ticker(), clearOutput: true, collapseErrors: false, showErrorMessage: true };
    // listr2's own Ctrl-C handler would exit 127; ours leaves the list printed, the cursor back, and exits 130 as docker compose
    const listr = new Listr<object, typeof Renderer>([spawner()], { renderer: Renderer, rendererOptions, concurrent: true, exitOnError: false, registerSignalListeners: false });
    void listr.run().catch(() => undefined);
    process.once('exit', finish);
    process.once('SIGINT', interrupted);
  };
  const interrupted = (): void => {
    finish();
    process.exit(130);
  };

  const sink: ProgressSink = (e) => {
    if (finished) return;
    const now = Date.now();
    const key = `${e.kind} ${e.name}`;
    let row = rows.get(key);
    if (!row) {
      if (!rows.size) start();
      rows.set(key, (row = { kind: e.kind, name: e.name, status: e.status, failed: false, started: now }));
      queued.push(row);
      wake?.();
    } else if (row.ended !== undefined && !e.done && !e.error) row.started = now; // back to work: a new clock
    Object.assign(row, { status: e.status, detail: e.detail, failed: e.error === true, ended: e.done || e.error ? now : undefined });
    show(row);
  };
  const finish = (): void => {
    if (finished) return;
    finished = true;
    if (!rows.size) return;
    process.off('exit', finish);
    process.off('SIGINT', interrupted);
    renderer?.end();
    const now = Date.now();
    // a row never done keeps listr2's "in progress" mark rather than claiming success
    const icon = (row: Row): string => (row.ended === undefined ? color.yellow(figures.pointer) : row.failed ? color.red(figures.cross) : color.green(figures.tick));
    out.write([...rows.values()].map((row) => `${icon(row)} ${title(row, now)}\n`).join(''));
    wake?.();
    closeTasks();
  };
  return { sink, finish };
}
